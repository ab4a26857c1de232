-- explain-data.sql: synthetic data for bench/explain-lists.ts: 100 000 actors, 100 000 movies and
-- 1 000 000 cast entries. Deterministic (no random()), so every run measures the same rows.
-- Names and titles repeat the way real ones do: 'kev' matches about 1 actor in 40.
INSERT INTO actors (name, age, gender)
SELECT f.v || ' ' || l.v || CASE WHEN g % 7 = 0 THEN ' Jr.' ELSE '' END,
       (g * 37) % 91 + 5,
       (ARRAY['female', 'male', 'female', 'male', 'Female', 'Male', 'non-binary', 'female', 'male', 'agender'])[1 + g % 10]
FROM generate_series(1, 100000) g,
     LATERAL (SELECT (ARRAY['Kevin', 'Diego', 'Daniel', 'Miguel', 'Meryl', 'Kerry', 'Elliot', 'Anna', 'Olga', 'Yusuf',
                            'Chen', 'Priya', 'Tom', 'Sofia', 'Lars', 'Amara', 'Ivan', 'Lucia', 'Kenji', 'Noor',
                            'Pedro', 'Hana', 'Omar', 'Ines', 'Jonas', 'Mei', 'Rafael', 'Zoe', 'Arjun', 'Leila',
                            'Sam', 'Nadia', 'Hugo', 'Aiko', 'Felix', 'Maya', 'Tariq', 'Elsa', 'Bruno', 'Ada'])[1 + (g * 7919) % 40] AS v) f,
     LATERAL (SELECT (ARRAY['Bacon', 'Costner', 'Luna', 'Streep', 'Washington', 'Page', 'Novak', 'Kim', 'Garcia', 'Smith',
                            'Okafor', 'Ivanova', 'Tanaka', 'Rossi', 'Muller', 'Dubois', 'Silva', 'Khan', 'Nguyen', 'Larsen',
                            'Moreau', 'Haddad', 'Kowalski', 'Brown', 'Jensen', 'Sato', 'Lopez', 'Ali', 'Schmidt', 'Costa',
                            'Fischer', 'Popescu', 'Yilmaz', 'Olsen', 'Park', 'Wright', 'Hughes', 'Becker', 'Santos', 'Reyes',
                            'Mendes', 'Quinn', 'Varga', 'Horvat', 'Ahmed', 'Lind', 'Ortiz', 'Weber', 'Keller', 'Baker'])[1 + (g::bigint * 104729) % 50] AS v) l;

INSERT INTO movies (title, release_date)
SELECT a.v || ' ' || n.v || CASE WHEN g % 5 = 0 THEN ' ' || (2 + g % 4) ELSE '' END,
       date '1920-01-01' + (g * 7919) % 38000
FROM generate_series(1, 100000) g,
     LATERAL (SELECT (ARRAY['The Dark', 'Silent', 'Last', 'Golden', 'Broken', 'Hidden', 'Endless', 'Crimson', 'Frozen', 'Wild',
                            'Lost', 'Iron', 'Secret', 'Burning', 'Distant', 'Fallen', 'Electric', 'Quiet', 'Savage', 'Midnight'])[1 + (g * 31) % 20] AS v) a,
     LATERAL (SELECT (ARRAY['Knight', 'River', 'Empire', 'Garden', 'Horizon', 'Prestige', 'Spectre', 'Harbor', 'Legacy', 'Storm',
                            'Kingdom', 'Signal', 'Frontier', 'Mirror', 'Voyage', 'Citadel', 'Echo', 'Orchard', 'Summit', 'Tide',
                            'Station', 'Paradise', 'Labyrinth', 'Carnival', 'Meridian'])[1 + (g * 7) % 25] AS v) n;

-- Ten actors per movie; for a fixed movie the ten actor ids differ (k * 9973 mod 100000 is distinct for k = 1..10).
INSERT INTO movie_actors (movie_id, actor_id)
SELECT m, 1 + (m * 31 + k * 9973) % 100000
FROM generate_series(1, 100000) m, generate_series(1, 10) k;
