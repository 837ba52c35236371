#include "src/library/pg_schema.h"

#include <fmt/format.h>

#include <iterator>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "src/library/pg_catalog_impl.h"

namespace tessera::library {
namespace {

// The advisory lock's class ('tess'); the other half of the key is the schema's name, so that
// catalogs in different schemas of one database do not wait for each other.
constexpr int kMigrationLockClass = 0x74657373;

constexpr char kVersionTable[] = R"sql(
CREATE TABLE tessera_schema_version (
  version INTEGER PRIMARY KEY,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
)sql";

// Step i takes the schema from version i to i + 1. Never edit a released step; add one.
//
// The tables, constraints and cascades of the SQLite schema (sqlite_schema.cc) at its version 2.
// Paths and failure reasons are BYTEA: a file name is any bytes but '/' and NUL, and BYTEA keeps
// them exactly and sorts them bytewise, as SQLite does. Other text is TEXT (valid UTF-8).
constexpr const char* kMigrations[] = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE users (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
  first_name TEXT NOT NULL,
  password_hash TEXT NOT NULL DEFAULT '',
  avatar_hash TEXT NOT NULL DEFAULT ''
);
CREATE INDEX users_by_avatar ON users (avatar_hash) WHERE avatar_hash <> '';
CREATE TABLE libraries (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  root BYTEA NOT NULL,
  UNIQUE (owner_id, root)
);
CREATE TABLE photos (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  hash TEXT NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  mime_type TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  size BIGINT NOT NULL,
  duration_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
  is_public BOOLEAN NOT NULL DEFAULT FALSE,
  placeholder TEXT NOT NULL DEFAULT '',
  taken_at BIGINT NOT NULL DEFAULT 0,
  UNIQUE (owner_id, hash)
);
CREATE INDEX photos_by_hash ON photos (hash);
CREATE TABLE files (
  library_id BIGINT NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
  rel_path BYTEA NOT NULL,
  size BIGINT NOT NULL,
  mtime_ns BIGINT NOT NULL,
  quick_hash TEXT NOT NULL,
  photo_id BIGINT NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  seen_generation BIGINT NOT NULL,
  PRIMARY KEY (library_id, rel_path)
);
CREATE INDEX files_by_photo ON files (photo_id);
CREATE INDEX files_by_generation ON files (library_id, seen_generation);
-- A file may only point at a photo of its library's owner: rights follow ownership. The catalog's
-- statements check it themselves (so that a refusal does not abort the caller's transaction);
-- this trigger guards every other writer.
CREATE FUNCTION tessera_files_same_owner() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF (SELECT owner_id FROM photos WHERE id = NEW.photo_id) IS DISTINCT FROM
     (SELECT owner_id FROM libraries WHERE id = NEW.library_id) THEN
    RAISE EXCEPTION 'file and photo have different owners' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER files_same_owner BEFORE INSERT OR UPDATE OF photo_id, library_id ON files
FOR EACH ROW EXECUTE FUNCTION tessera_files_same_owner();
CREATE TABLE shares (
  photo_id BIGINT NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (photo_id, user_id)
);
CREATE INDEX shares_by_user ON shares (user_id);
CREATE TABLE variants (
  photo_id BIGINT NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  recipe TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes BIGINT NOT NULL,
  PRIMARY KEY (photo_id, kind)
);
CREATE INDEX variants_by_recipe ON variants (kind, recipe);
CREATE TABLE failures (
  library_id BIGINT NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
  rel_path BYTEA NOT NULL,
  size BIGINT NOT NULL,
  mtime_ns BIGINT NOT NULL,
  reason BYTEA NOT NULL,
  attempts INTEGER NOT NULL,
  PRIMARY KEY (library_id, rel_path)
);
CREATE TABLE faces (
  photo_id BIGINT NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  x INTEGER NOT NULL,
  y INTEGER NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (photo_id, idx)
);
CREATE TABLE revoked_tokens (
  id TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE TABLE jobs (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  library_id BIGINT NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
  rel_path BYTEA NOT NULL,
  claimed_by TEXT NOT NULL DEFAULT '',
  lease_until BIGINT NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  UNIQUE (library_id, rel_path)
);
CREATE INDEX jobs_by_lease ON jobs (lease_until, id);
)sql",
    // 1 -> 2: jobs remember the scan that queued them, so a worker on any host marks the
    // files it processes as seen by that scan.
    "ALTER TABLE jobs ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;",
    // 2 -> 3: variants of videos made before recipes told videos apart say so now (as
    // VideoRecipe writes them), so that the video-square setting finds the squares to remake.
    R"sql(
UPDATE variants SET recipe = recipe || ' video'
 WHERE recipe NOT LIKE '% video' AND recipe NOT LIKE '% clip %'
   AND photo_id IN (SELECT id FROM photos WHERE mime_type LIKE 'video/%');
)sql",
};

}  // namespace

static_assert(std::size(kMigrations) == kPgCatalogSchemaVersion);

Status MigratePgCatalogSchema(pqxx::connection& conn) {
  try {
    for (;;) {
      pqxx::work tx(conn);  // rolls back when it goes without a commit
      // A long migration on another host is worth waiting for, whatever the session's limits.
      tx.exec("SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0");
      tx.exec_params("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))",
                     kMigrationLockClass);
      // Checked rather than CREATE ... IF NOT EXISTS, which needs the right to create even when
      // the table exists: a role that only uses a migrated catalog may lack it.
      if (tx.exec("SELECT to_regclass('tessera_schema_version') IS NULL")[0][0].as<bool>()) {
        tx.exec(kVersionTable);
      }
      const int version =
          tx.exec("SELECT coalesce(max(version), 0) FROM tessera_schema_version")[0][0].as<int>();
      if (version == kPgCatalogSchemaVersion) {
        tx.commit();
        return Status::Ok();
      }
      if (version > kPgCatalogSchemaVersion || version < 0) {
        return Status::Unsupported(
            fmt::format("catalog: schema version {} is newer than this tessera's ({})", version,
                        kPgCatalogSchemaVersion));
      }
      tx.exec(kMigrations[version]);
      tx.exec_params("INSERT INTO tessera_schema_version (version) VALUES ($1)", version + 1);
      tx.commit();
    }
  } catch (const std::exception& e) {
    bool lost = false;
    return PgErrorStatus(e, "migrate schema", &lost);
  }
}

}  // namespace tessera::library
