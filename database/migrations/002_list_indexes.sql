-- 002_list_indexes.sql: indexes that keep the lists fast at 100 000 actors and movies and
-- 1 000 000 cast entries (plans and timings measured in docs/indexes.md).
-- `q` is a case-insensitive substring search (ILIKE '%…%'): only a trigram index serves it.
-- pg_trgm is a trusted extension (any database owner may create it) and ships with PGlite.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX actors_name_trgm_idx ON actors USING gin (name gin_trgm_ops);
CREATE INDEX movies_title_trgm_idx ON movies USING gin (title gin_trgm_ops);

-- Sorts: (field, id) matches ORDER BY field, id in both directions, so a page reads only its rows.
CREATE INDEX actors_name_id_idx ON actors (name, id);
CREATE INDEX actors_age_id_idx ON actors (age, id);
CREATE INDEX movies_title_id_idx ON movies (title, id);
CREATE INDEX movies_release_date_id_idx ON movies (release_date, id);

-- Filters: gender is matched case-insensitively, usually together with an age range.
CREATE INDEX actors_gender_age_idx ON actors (lower(gender), age, id);
