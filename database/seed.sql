-- seed.sql: the sample actors and movies from the original API's documentation.
-- Idempotent: a row is added only when no row with that name/title exists, so running it
-- twice (npm run db:seed) adds nothing. The embedded database loads it on its first start.
INSERT INTO actors (name, age, gender)
SELECT v.name, v.age, v.gender
FROM (VALUES (1, 'Kevin', 22, 'male'), (2, 'Diego', 21, 'male'), (3, 'Daniel', 32, 'male'), (4, 'Miguel', 31, 'male'))
  AS v (ord, name, age, gender)
WHERE NOT EXISTS (SELECT 1 FROM actors a WHERE a.name = v.name)
ORDER BY v.ord;

INSERT INTO movies (title, release_date)
SELECT v.title, v.release_date::date
FROM (VALUES (1, 'The Prestige', '2006-10-20'), (2, 'Spider-Man 3', '2007-05-04'), (3, 'Spectre', '2015-11-06'))
  AS v (ord, title, release_date)
WHERE NOT EXISTS (SELECT 1 FROM movies m WHERE m.title = v.title)
ORDER BY v.ord;
