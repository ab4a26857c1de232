-- 003_row_counts.sql: exact row counts of actors and movies, read in O(1).
-- `all_actors` / `all_movies` of an unfiltered list and the counts in a DELETE answer must be exact,
-- and count(*) reads every row (~10 ms at 100 000 actors, ~50 ms at a million). Triggers keep these
-- counters in the same transaction as every INSERT, DELETE and TRUNCATE, so any snapshot that sees a
-- row also sees it counted: sum(n) = count(*) in every snapshot, and a rolled-back insert counts nothing.
--
-- Each table's count is spread over 16 slots, picked by the backend's pid. With one row per table,
-- concurrent inserts queue on its row lock until each one commits: measured here with pgbench,
-- 32 clients inserting, ~1 700 inserts/s with one row against ~10 000–13 000 with 16 slots (and
-- ~14 000 without any trigger). Reading sums 16 rows of one page: ~1 µs more than one row.
-- Statement-level triggers with transition tables count a bulk INSERT … SELECT as one update.
--
-- Only writes that skip triggers (session_replication_role = replica, DISABLE TRIGGER) could make the
-- counts drift; `SELECT row_counts_recount();` recounts while writers wait.
CREATE TABLE row_counts (
  table_name text NOT NULL,
  slot smallint NOT NULL CHECK (slot BETWEEN 0 AND 15),
  n bigint NOT NULL,
  PRIMARY KEY (table_name, slot)
) WITH (fillfactor = 50);

CREATE FUNCTION row_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta bigint;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    UPDATE row_counts SET n = 0 WHERE table_name = TG_TABLE_NAME AND n <> 0;
    RETURN NULL;
  END IF;
  SELECT count(*) INTO delta FROM changed;
  -- A DELETE that matched nothing (a 404) takes no lock.
  IF delta > 0 THEN
    UPDATE row_counts SET n = n + CASE TG_OP WHEN 'INSERT' THEN delta ELSE -delta END
     WHERE table_name = TG_TABLE_NAME AND slot = pg_backend_pid() % 16;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION row_counts_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- Writers wait until the transaction ends, so no insert or delete falls between count and reset.
  LOCK TABLE actors, movies IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM row_counts;
  INSERT INTO row_counts (table_name, slot, n)
  SELECT t.name, s.slot, CASE WHEN s.slot = 0 THEN t.n ELSE 0 END
    FROM (SELECT 'actors' AS name, count(*) AS n FROM actors
          UNION ALL SELECT 'movies', count(*) FROM movies) t
   CROSS JOIN generate_series(0, 15) AS s (slot);
END
$$;

CREATE TRIGGER actors_count_insert AFTER INSERT ON actors
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION row_counts_track();
CREATE TRIGGER actors_count_delete AFTER DELETE ON actors
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION row_counts_track();
CREATE TRIGGER actors_count_truncate AFTER TRUNCATE ON actors
  FOR EACH STATEMENT EXECUTE FUNCTION row_counts_track();

CREATE TRIGGER movies_count_insert AFTER INSERT ON movies
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION row_counts_track();
CREATE TRIGGER movies_count_delete AFTER DELETE ON movies
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION row_counts_track();
CREATE TRIGGER movies_count_truncate AFTER TRUNCATE ON movies
  FOR EACH STATEMENT EXECUTE FUNCTION row_counts_track();

SELECT row_counts_recount();
