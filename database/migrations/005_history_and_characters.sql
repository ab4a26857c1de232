-- 005_history_and_characters.sql: the character an actor plays in a cast entry, and the history of
-- every change the API makes (GET /actors/:id/history, GET /movies/:id/history).
--
-- `character` follows the API's text rule (trimmed, 1–200 characters) or is NULL: not named yet.
ALTER TABLE movie_actors
  ADD COLUMN character text CHECK (character IS NULL OR (char_length(character) BETWEEN 1 AND 200 AND character = btrim(character)));

-- One row per committed change, written by the API in the same transaction as the change
-- (src/history/). A cast change is about a movie and an actor: it is one row with both ids, listed in
-- both histories through the two indexes, so it has one id wherever it is shown. A change to an actor
-- or a movie has only its own id. No foreign keys: the history of a deleted row stays.
-- `changed_at` is the time of the statement that recorded it (after the change took its row locks, so
-- the changes of one row are in time order), to the millisecond the API shows.
-- Kept forever; append-only (the trigger below refuses UPDATE and DELETE; TRUNCATE is left to an
-- administrator). Size per change measured in docs/indexes.md.
CREATE TABLE changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  changed_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', statement_timestamp()),
  changed_by text NOT NULL CHECK (changed_by <> ''),
  action text NOT NULL CHECK (action IN ('created', 'updated', 'deleted', 'cast_added', 'cast_updated', 'cast_removed')),
  actor_id integer,
  movie_id integer,
  before jsonb,
  after jsonb,
  CHECK (CASE WHEN action LIKE 'cast\_%' THEN actor_id IS NOT NULL AND movie_id IS NOT NULL
              ELSE (actor_id IS NULL) <> (movie_id IS NULL) END),
  CHECK ((before IS NULL) = (action IN ('created', 'cast_added'))),
  CHECK ((after IS NULL) = (action IN ('deleted', 'cast_removed')))
);

-- Newest first per resource: a page is an index range scan, its count an index-only count.
CREATE INDEX changes_actor_idx ON changes (actor_id, changed_at DESC, id DESC) WHERE actor_id IS NOT NULL;
CREATE INDEX changes_movie_idx ON changes (movie_id, changed_at DESC, id DESC) WHERE movie_id IS NOT NULL;

CREATE FUNCTION changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'changes is append-only: % is not allowed', TG_OP;
END
$$;

CREATE TRIGGER changes_append_only BEFORE UPDATE OR DELETE ON changes
  FOR EACH STATEMENT EXECUTE FUNCTION changes_append_only();
