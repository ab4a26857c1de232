-- 006_search_counts.sql: exact match counts for the short searches people type first (`a`, `al`, `ali`).
--
-- `q` is a case-insensitive substring search. A `q` of one or two characters cannot use the trigram
-- index, and a common one matches most of the table: counting its matches exactly read every row
-- (~1.2 s for `q=a` at 1 000 000 actors, docs/indexes.md). Here the number of rows containing each
-- distinct lower-cased fragment of 1–3 characters is kept, so such a count is one or two index reads.
--
-- Writers do not update those counts (a row like 'a' would be a hot row every write queues on, and
-- splitting a name into its ~40 fragments costs more than the write itself). Each write statement
-- only appends the names it added (+1) and removed (-1) to `search_pending`, a table with no index,
-- from the statement triggers below. A reader adds the pending changes that contain its fragment to
-- the kept count: search_counts + search_pending is exact in every snapshot, because a write and its
-- pending row commit together, and a fold moves pending rows into the counts in one transaction.
-- `search_counts_fold()` does that, in batches, outside the writers' transactions (the API calls it
-- every second: src/db/search-counts.ts).
--
-- A rare fragment of one or two characters (`qx`, in a few names of a million) has no index to find its
-- rows: the page would walk the whole sort order. While a fragment's kept count is at most
-- search_listed_max() (2 000), the fold also lists the ids of the rows containing it in `search_listed`
-- (the `listed` flag says the list is complete for the folded rows); a reader takes those ids and the
-- pending rows' ids that contain q, and rechecks each against the table. A fragment that grows past the
-- limit loses its list (and stays unlisted until its count returns to 0 or a rebuild).
--
-- ILIKE compares lower(text) with lower(pattern) in PostgreSQL, so "the name contains q, ignoring
-- case" is "strpos(lower(name), lower(q)) > 0", and a fragment is a substring of lower(name).
-- Writes that skip triggers (see 003) are repaired by `SELECT row_counts_recount();`, which now
-- rebuilds these counts too. Sizes and costs measured in docs/indexes.md.

-- Called by the statements of src/db/list-sql.ts that choose their way to a page at run time (one branch
-- per way, each behind a one-time filter): a statement that calls a PARALLEL UNSAFE function is planned
-- without parallel workers. Otherwise a branch the planner made parallel starts its workers even when
-- its filter is false: ~5 ms per branch, measured at 1 000 000 actors (docs/indexes.md).
CREATE FUNCTION serial_plan() RETURNS boolean LANGUAGE plpgsql PARALLEL UNSAFE AS $$ BEGIN RETURN true; END $$;

-- The distinct substrings of 1 to 3 characters of lower(content).
CREATE FUNCTION search_fragments(content text) RETURNS SETOF text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT DISTINCT substr(l, i, len)
    FROM (SELECT lower(content) AS l) s,
         generate_series(1, 3) AS len,
         generate_series(1, char_length(s.l) - len + 1) AS i
$$;

CREATE TABLE search_counts (
  table_name text NOT NULL,
  fragment text NOT NULL,
  n bigint NOT NULL,
  listed boolean NOT NULL,
  PRIMARY KEY (table_name, fragment)
);

-- The most rows a fragment of 1–2 characters may have and still be listed in search_listed.
CREATE FUNCTION search_listed_max() RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 2000::bigint';

-- The ids of the rows containing each listed fragment (as of the last fold that touched the row).
CREATE TABLE search_listed (
  table_name text NOT NULL,
  fragment text NOT NULL,
  row_id integer NOT NULL,
  PRIMARY KEY (table_name, fragment, row_id)
);
CREATE INDEX search_listed_row_idx ON search_listed (table_name, row_id);

-- Appended by writers, emptied by folds: `sign` +1 for a name a row now has, -1 for one it no longer has.
-- Readers scan it whole (it holds about a second of writes), so its dead rows are vacuumed early.
CREATE TABLE search_pending (
  table_name text NOT NULL,
  row_id integer NOT NULL,
  content text NOT NULL,
  sign integer NOT NULL
) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);

-- One statement trigger per table and operation; the searched column is `name` for actors, `title` for
-- movies. Two functions alike but for that column: naming it in the SQL keeps the writers' statements
-- static (planned once), where one function taking the column would build them with EXECUTE each time.
-- An UPDATE appends only the rows whose name changed (a PATCH of the age appends nothing); ids never change.
CREATE FUNCTION search_pending_actors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO search_pending SELECT 'actors', id, name, 1 FROM added;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO search_pending SELECT 'actors', id, name, -1 FROM removed;
  ELSE
    INSERT INTO search_pending
    SELECT 'actors', n.id, c.content, c.sign
      FROM removed o JOIN added n ON n.id = o.id AND n.name IS DISTINCT FROM o.name,
           LATERAL (VALUES (o.name, -1), (n.name, 1)) AS c (content, sign);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION search_pending_movies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO search_pending SELECT 'movies', id, title, 1 FROM added;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO search_pending SELECT 'movies', id, title, -1 FROM removed;
  ELSE
    INSERT INTO search_pending
    SELECT 'movies', n.id, c.content, c.sign
      FROM removed o JOIN added n ON n.id = o.id AND n.title IS DISTINCT FROM o.title,
           LATERAL (VALUES (o.title, -1), (n.title, 1)) AS c (content, sign);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER actors_search_insert AFTER INSERT ON actors
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION search_pending_actors();
CREATE TRIGGER actors_search_delete AFTER DELETE ON actors
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION search_pending_actors();
CREATE TRIGGER actors_search_update AFTER UPDATE ON actors
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION search_pending_actors();

CREATE TRIGGER movies_search_insert AFTER INSERT ON movies
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION search_pending_movies();
CREATE TRIGGER movies_search_delete AFTER DELETE ON movies
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION search_pending_movies();
CREATE TRIGGER movies_search_update AFTER UPDATE ON movies
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION search_pending_movies();

-- A TRUNCATE empties the table: its counts and pending changes go with it, in the same transaction.
CREATE FUNCTION search_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_counts WHERE table_name = TG_TABLE_NAME;
  DELETE FROM search_listed WHERE table_name = TG_TABLE_NAME;
  DELETE FROM search_pending WHERE table_name = TG_TABLE_NAME;
  RETURN NULL;
END
$$;
CREATE TRIGGER actors_search_truncate AFTER TRUNCATE ON actors FOR EACH STATEMENT EXECUTE FUNCTION search_counts_truncate();
CREATE TRIGGER movies_search_truncate AFTER TRUNCATE ON movies FOR EACH STATEMENT EXECUTE FUNCTION search_counts_truncate();

-- The listed fragments (1–2 characters) of the rows `ids` of `tab` as they are now, for search_listed.
CREATE FUNCTION search_listed_rows(tab text, ids integer[]) RETURNS TABLE (fragment text, row_id integer) LANGUAGE sql STABLE AS $$
  SELECT f, r.id
    FROM (SELECT a.id, a.name AS content FROM actors a WHERE tab = 'actors' AND a.id = ANY (ids)
          UNION ALL SELECT m.id, m.title FROM movies m WHERE tab = 'movies' AND m.id = ANY (ids)) r,
         search_fragments(r.content) AS f
   WHERE char_length(f) <= 2
     AND EXISTS (SELECT 1 FROM search_counts c WHERE c.table_name = tab AND c.fragment = f AND c.listed)
$$;

-- Moves up to `batch` pending rows into the counts and the lists; returns how many it moved (0 when
-- another fold holds the lock). Pending rows of transactions not yet committed are not seen, so not
-- moved: the next fold moves them. A row's listed fragments are read from the row itself, so they are
-- right whatever order its pending changes are folded in.
CREATE FUNCTION search_counts_fold(batch integer DEFAULT 10000) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  tabs text[];
  ids integer[];
  contents text[];
  signs integer[];
  kind text;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7311450022) THEN
    RETURN 0;
  END IF;
  WITH taken AS (
    DELETE FROM search_pending
     WHERE ctid = ANY (ARRAY(SELECT ctid FROM search_pending LIMIT batch))
    RETURNING table_name, row_id, content, sign
  )
  SELECT array_agg(table_name), array_agg(row_id), array_agg(content), array_agg(sign) INTO tabs, ids, contents, signs FROM taken;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;

  -- The counts; a fragment stays listed while its count is at most the limit (one at 0 starts afresh).
  WITH deltas AS (
    SELECT t.tname, f.fragment, sum(t.sign) AS n
      FROM unnest(tabs, contents, signs) AS t (tname, content, sign), search_fragments(t.content) AS f (fragment)
     GROUP BY t.tname, f.fragment
    HAVING sum(t.sign) <> 0
  ), applied AS (
    INSERT INTO search_counts AS c (table_name, fragment, n, listed)
    SELECT d.tname, d.fragment, d.n, d.n <= search_listed_max() FROM deltas d
    ON CONFLICT (table_name, fragment) DO UPDATE
      SET n = c.n + excluded.n, listed = (c.listed OR c.n = 0) AND c.n + excluded.n <= search_listed_max()
    RETURNING c.table_name, c.fragment, c.listed
  )
  DELETE FROM search_listed l USING applied a
   WHERE NOT a.listed AND l.table_name = a.table_name AND l.fragment = a.fragment;

  -- The lists of the rows these changes touched, from the rows as they are now.
  FOREACH kind IN ARRAY ARRAY['actors', 'movies'] LOOP
    DELETE FROM search_listed l
     WHERE l.table_name = kind AND l.row_id IN (SELECT t.id FROM unnest(tabs, ids) AS t (tname, id) WHERE t.tname = kind);
    INSERT INTO search_listed (table_name, fragment, row_id)
    SELECT kind, r.fragment, r.row_id
      FROM search_listed_rows(kind, ARRAY(SELECT DISTINCT t.id FROM unnest(tabs, ids) AS t (tname, id) WHERE t.tname = kind)) r;
  END LOOP;
  RETURN array_length(ids, 1);
END
$$;

-- Counts and lists every row again (the caller holds locks that keep writers out: row_counts_recount below).
CREATE FUNCTION search_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE search_pending;
  DELETE FROM search_counts;
  DELETE FROM search_listed;
  INSERT INTO search_counts (table_name, fragment, n, listed)
  SELECT 'actors', f, count(*), count(*) <= search_listed_max() FROM actors, search_fragments(name) AS f GROUP BY f;
  INSERT INTO search_counts (table_name, fragment, n, listed)
  SELECT 'movies', f, count(*), count(*) <= search_listed_max() FROM movies, search_fragments(title) AS f GROUP BY f;
  INSERT INTO search_listed (table_name, fragment, row_id)
  SELECT 'actors', f, a.id FROM actors a, search_fragments(a.name) AS f
   WHERE char_length(f) <= 2 AND f IN (SELECT fragment FROM search_counts WHERE table_name = 'actors' AND listed);
  INSERT INTO search_listed (table_name, fragment, row_id)
  SELECT 'movies', f, m.id FROM movies m, search_fragments(m.title) AS f
   WHERE char_length(f) <= 2 AND f IN (SELECT fragment FROM search_counts WHERE table_name = 'movies' AND listed);
END
$$;

-- 004's recount keeps its work under a new name; row_counts_recount() now also rebuilds the search
-- counts, in the same transaction, under the locks the recount took.
ALTER FUNCTION row_counts_recount() RENAME TO row_counts_recount_rows;
CREATE FUNCTION row_counts_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM row_counts_recount_rows();
  PERFORM search_counts_rebuild();
END
$$;

SELECT search_counts_rebuild();
