-- Version 4: document payloads are compressed with lz4 where the server has it. A sale document is
-- past the ~2 kB at which PostgreSQL compresses a row (a 3-line cash sale is 1.8 kB of JSON, ~2.1 kB
-- as jsonb), and the default pglz doubled the database's CPU per document on ingest (measured ~80 µs
-- of ~180); lz4 costs a few µs and stores about as small. Rows stored before keep pglz (both read back
-- alike). PostgreSQL before 14 has no lz4; PGlite is built without it: both keep pglz.
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 140000 THEN
    ALTER TABLE documents ALTER COLUMN payload SET COMPRESSION lz4;
  END IF;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END $$;
