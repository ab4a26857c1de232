-- 004_change_counters.sql: a version of actors and of movies that every committed change moves.
-- The API keeps search results (lists with `q`) in memory and serves one again only while its table's
-- version is the one the results were read with (src/db/list-cache.ts): one small read instead of a
-- trigram search and an exact count over every match.
--
-- `changes` lives in migration 003's slots, so writers in different backends rarely share a row, and it
-- moves in the same transaction as the change: a snapshot that sees a change sees its bump, and one
-- that does not, does not. Every bump adds 1 and later snapshots see a superset of earlier ones, so two
-- snapshots with the same sum(changes) saw exactly the same committed rows of that table.
ALTER TABLE row_counts ADD COLUMN changes bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION row_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta bigint;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    UPDATE row_counts SET n = 0, changes = changes + 1 WHERE table_name = TG_TABLE_NAME;
    RETURN NULL;
  END IF;
  SELECT count(*) INTO delta FROM changed;
  -- A statement that matched nothing (a 404) takes no lock and changes no version.
  IF delta > 0 THEN
    UPDATE row_counts
       SET n = n + CASE TG_OP WHEN 'INSERT' THEN delta WHEN 'DELETE' THEN -delta ELSE 0 END,
           changes = changes + 1
     WHERE table_name = TG_TABLE_NAME AND slot = pg_backend_pid() % 16;
  END IF;
  RETURN NULL;
END
$$;

-- A recount (after writes that skipped the triggers) also moves the version: whatever those writes
-- changed, results read before it are not served again.
CREATE OR REPLACE FUNCTION row_counts_recount() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  versions jsonb;
BEGIN
  -- Writers wait until the transaction ends, so no insert or delete falls between count and reset.
  LOCK TABLE actors, movies IN SHARE ROW EXCLUSIVE MODE;
  SELECT COALESCE(jsonb_object_agg(table_name, total), '{}') INTO versions
    FROM (SELECT table_name, sum(changes) AS total FROM row_counts GROUP BY table_name) v;
  DELETE FROM row_counts;
  INSERT INTO row_counts (table_name, slot, n, changes)
  SELECT t.name, s.slot,
         CASE WHEN s.slot = 0 THEN t.n ELSE 0 END,
         CASE WHEN s.slot = 0 THEN COALESCE((versions ->> t.name)::bigint, 0) + 1 ELSE 0 END
    FROM (SELECT 'actors' AS name, count(*) AS n FROM actors
          UNION ALL SELECT 'movies', count(*) FROM movies) t
   CROSS JOIN generate_series(0, 15) AS s (slot);
END
$$;

CREATE TRIGGER actors_version_update AFTER UPDATE ON actors
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION row_counts_track();
CREATE TRIGGER movies_version_update AFTER UPDATE ON movies
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION row_counts_track();
