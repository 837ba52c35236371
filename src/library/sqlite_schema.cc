#include "src/library/sqlite_schema.h"

#include <fmt/format.h>

#include <iterator>
#include <string>

#include "src/library/sqlite_statement.h"

namespace tessera::library {
namespace {

// Step i takes the schema from version i to i + 1. Never edit a released step; add one.
constexpr const char* kMigrations[] = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
  first_name TEXT NOT NULL,
  password_hash TEXT NOT NULL DEFAULT ''
);
CREATE TABLE libraries (
  id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  root TEXT NOT NULL,
  UNIQUE (owner_id, root)
);
CREATE TABLE photos (
  id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  mime_type TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  size INTEGER NOT NULL,
  duration_seconds REAL NOT NULL DEFAULT 0,
  is_public INTEGER NOT NULL DEFAULT 0,
  placeholder TEXT NOT NULL DEFAULT '',
  UNIQUE (owner_id, hash)
);
CREATE INDEX photos_by_hash ON photos(hash);
CREATE TABLE files (
  library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
  rel_path TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  quick_hash TEXT NOT NULL,
  photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  seen_generation INTEGER NOT NULL,
  PRIMARY KEY (library_id, rel_path)
) WITHOUT ROWID;
CREATE INDEX files_by_photo ON files(photo_id);
CREATE INDEX files_by_generation ON files(library_id, seen_generation);
-- A file may only point at a photo of its library's owner: rights follow ownership.
CREATE TRIGGER files_owner_insert BEFORE INSERT ON files
WHEN (SELECT owner_id FROM photos WHERE id = NEW.photo_id) IS NOT
     (SELECT owner_id FROM libraries WHERE id = NEW.library_id)
BEGIN SELECT RAISE(ABORT, 'file and photo have different owners'); END;
CREATE TRIGGER files_owner_update BEFORE UPDATE OF photo_id, library_id ON files
WHEN (SELECT owner_id FROM photos WHERE id = NEW.photo_id) IS NOT
     (SELECT owner_id FROM libraries WHERE id = NEW.library_id)
BEGIN SELECT RAISE(ABORT, 'file and photo have different owners'); END;
CREATE TABLE shares (
  photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (photo_id, user_id)
) WITHOUT ROWID;
CREATE INDEX shares_by_user ON shares(user_id);
CREATE TABLE variants (
  photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  recipe TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (photo_id, kind)
) WITHOUT ROWID;
CREATE INDEX variants_by_recipe ON variants(kind, recipe);
CREATE TABLE failures (
  library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
  rel_path TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  reason TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  PRIMARY KEY (library_id, rel_path)
) WITHOUT ROWID;
)sql",
    // 1 -> 2: capture dates, avatars, faces, logout revocations and the job queue.
    R"sql(
ALTER TABLE photos ADD COLUMN taken_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN avatar_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX users_by_avatar ON users(avatar_hash) WHERE avatar_hash <> '';
CREATE TABLE faces (
  photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  x INTEGER NOT NULL,
  y INTEGER NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  score REAL NOT NULL,
  PRIMARY KEY (photo_id, idx)
) WITHOUT ROWID;
CREATE TABLE revoked_tokens (
  id TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
  rel_path TEXT NOT NULL,
  claimed_by TEXT NOT NULL DEFAULT '',
  lease_until INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  UNIQUE (library_id, rel_path)
);
CREATE INDEX jobs_by_lease ON jobs(lease_until, id);
)sql",
    // 2 -> 3: jobs remember the scan that queued them, so a worker on any host marks the
    // files it processes as seen by that scan.
    "ALTER TABLE jobs ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;",
    // 3 -> 4: variants of videos made before recipes told videos apart say so now (as
    // VideoRecipe writes them: " video" at the end), so that the video-square setting
    // (clip or frame) finds the squares it has to remake and leaves the rest alone.
    R"sql(
UPDATE variants SET recipe = recipe || ' video'
 WHERE recipe NOT LIKE '% video' AND recipe NOT LIKE '% clip %'
   AND photo_id IN (SELECT id FROM photos WHERE mime_type LIKE 'video/%');
)sql",
};

Result<int> UserVersion(sqlite3* db) {
  TESSERA_ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db, "PRAGMA user_version"));
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::Internal("catalog: PRAGMA user_version returned nothing");
  return static_cast<int>(stmt.Int(0));
}

}  // namespace

static_assert(std::size(kMigrations) == kCatalogSchemaVersion);

Status MigrateCatalogSchema(sqlite3* db) {
  for (;;) {
    // IMMEDIATE: two processes opening a new catalog at once must not both migrate it.
    TESSERA_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    Result<int> version = UserVersion(db);
    Status status = version.status();
    if (status.ok() && *version == kCatalogSchemaVersion) {
      return Exec(db, "COMMIT");
    }
    if (status.ok() && *version > kCatalogSchemaVersion) {
      status = Status::Unsupported(
          fmt::format("catalog: schema version {} is newer than this tessera's ({})", *version,
                      kCatalogSchemaVersion));
    }
    if (status.ok()) status = Exec(db, kMigrations[*version]);
    if (status.ok()) {
      // PRAGMA takes no bound parameters; the value is our own integer.
      std::string set = fmt::format("PRAGMA user_version = {}", *version + 1);
      status = Exec(db, set.c_str());
    }
    if (status.ok()) status = Exec(db, "COMMIT");
    if (!status.ok()) {
      (void)Exec(db, "ROLLBACK");
      return status.WithContext("migrate schema");
    }
  }
}

}  // namespace tessera::library
