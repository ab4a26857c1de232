-- setup.sql: creates the application and test databases on a PostgreSQL server, as the
-- original project's setup did. Run once as a superuser: psql -U postgres -f database/setup.sql
-- The schema itself comes from migrations/ (npm run db:migrate), the sample data from seed.sql.
-- The embedded default (no DATABASE_URL) needs none of this.
SELECT 'CREATE DATABASE casting_agency'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'casting_agency')\gexec
SELECT 'CREATE DATABASE casting_agency_test'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'casting_agency_test')\gexec
