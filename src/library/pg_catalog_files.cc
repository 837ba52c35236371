// The PostgreSQL catalog's files (scan state) and failure ledger. Paths and reasons are BYTEA.
#include <fmt/format.h>

#include "src/library/pg_catalog_impl.h"

namespace tessera::library {
namespace {

#define TESSERA_FILE_COLUMNS \
  "library_id, rel_path, size, mtime_ns, quick_hash, photo_id, seen_generation"
#define TESSERA_FAILURE_COLUMNS "library_id, rel_path, size, mtime_ns, reason, attempts"

PhotoFile ReadFile(const pqxx::row& row) {
  return PhotoFile{row[0].as<int64_t>(), BytesOf(row[1]),          row[2].as<int64_t>(),
                   row[3].as<int64_t>(), row[4].as<std::string>(), row[5].as<int64_t>(),
                   row[6].as<int64_t>()};
}

FileFailure ReadFailure(const pqxx::row& row) {
  return FileFailure{row[0].as<int64_t>(), BytesOf(row[1]), row[2].as<int64_t>(),
                     row[3].as<int64_t>(), BytesOf(row[4]), row[5].as<int>()};
}

}  // namespace

Result<std::optional<PhotoFile>> PgCatalog::FindFile(int64_t library_id,
                                                     std::string_view rel_path) {
  std::lock_guard lock(mu_);
  return Run("find file", [&](pqxx::transaction_base& tx) -> Result<std::optional<PhotoFile>> {
    pqxx::result result =
        tx.exec_prepared(Prepared("SELECT " TESSERA_FILE_COLUMNS
                                  " FROM files WHERE library_id = $1 AND rel_path = $2"),
                         library_id, Bytes(rel_path));
    if (result.empty()) return std::optional<PhotoFile>();
    return std::optional<PhotoFile>(ReadFile(result[0]));
  });
}

Result<std::vector<PhotoFile>> PgCatalog::FilesOfPhoto(int64_t photo_id) {
  std::lock_guard lock(mu_);
  return Run("files of photo", [&](pqxx::transaction_base& tx) -> Result<std::vector<PhotoFile>> {
    pqxx::result result =
        tx.exec_prepared(Prepared("SELECT " TESSERA_FILE_COLUMNS
                                  " FROM files WHERE photo_id = $1 ORDER BY library_id, rel_path"),
                         photo_id);
    std::vector<PhotoFile> files;
    files.reserve(result.size());
    for (const pqxx::row& row : result) files.push_back(ReadFile(row));
    return files;
  });
}

Status PgCatalog::UpsertFile(const PhotoFile& file) {
  if (!IsStorableText(file.quick_hash)) {
    return Status::InvalidArgument("catalog: quick hash is not UTF-8 text");
  }
  std::lock_guard lock(mu_);
  return Run("upsert file", [&](pqxx::transaction_base& tx) -> Status {
    // The owner check in the statement refuses without a server error; the trigger
    // files_same_owner is only the last line of defence.
    pqxx::result result = tx.exec_prepared(
        Prepared("INSERT INTO files (" TESSERA_FILE_COLUMNS
                 ") SELECT $1::bigint, $2::bytea, $3::bigint, $4::bigint, $5::text, $6::bigint, "
                 "$7::bigint WHERE EXISTS (SELECT 1 FROM libraries l JOIN photos p "
                 "ON p.owner_id = l.owner_id WHERE l.id = $1::bigint AND p.id = $6::bigint) "
                 "ON CONFLICT (library_id, rel_path) DO UPDATE SET size = excluded.size, "
                 "mtime_ns = excluded.mtime_ns, quick_hash = excluded.quick_hash, "
                 "photo_id = excluded.photo_id, "
                 "seen_generation = GREATEST(files.seen_generation, excluded.seen_generation)"),
        file.library_id, Bytes(file.rel_path), file.size, file.mtime_ns, file.quick_hash,
        file.photo_id, file.seen_generation);
    if (result.affected_rows() == 0) {
      return Status::InvalidArgument(fmt::format(
          "catalog: file {} in library {}: the library and photo {} have different owners (or "
          "one does not exist)",
          file.rel_path, file.library_id, file.photo_id));
    }
    return Status::Ok();
  });
}

Status PgCatalog::MarkSeen(int64_t library_id, std::string_view rel_path, int64_t generation) {
  std::lock_guard lock(mu_);
  return Run("mark file seen", [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result result = tx.exec_prepared(
        Prepared("UPDATE files SET seen_generation = GREATEST(seen_generation, $3) "
                 "WHERE library_id = $1 AND rel_path = $2"),
        library_id, Bytes(rel_path), generation);
    if (result.affected_rows() == 0) {
      return Status::NotFound(
          fmt::format("catalog: no file {} in library {}", rel_path, library_id));
    }
    return Status::Ok();
  });
}

Result<int64_t> PgCatalog::RemoveFilesNotSeen(int64_t library_id, int64_t generation) {
  std::lock_guard lock(mu_);
  return Run("remove files not seen", [&](pqxx::transaction_base& tx) -> Result<int64_t> {
    pqxx::result result = tx.exec_prepared(
        Prepared("DELETE FROM files WHERE library_id = $1 AND seen_generation < $2"), library_id,
        generation);
    return static_cast<int64_t>(result.affected_rows());
  });
}

Status PgCatalog::RenameFile(int64_t library_id, std::string_view from, std::string_view to) {
  if (from == to) return Status::Ok();
  return InTransaction([&]() -> Status {
    return Run("rename file", [&](pqxx::transaction_base& tx) -> Status {
      tx.exec_prepared(Prepared("DELETE FROM files WHERE library_id = $1 AND rel_path = $2"),
                       library_id, Bytes(to));
      pqxx::result moved = tx.exec_prepared(
          Prepared("UPDATE files SET rel_path = $3 WHERE library_id = $1 AND rel_path = $2"),
          library_id, Bytes(from), Bytes(to));
      if (moved.affected_rows() == 0) {  // InTransaction puts back the row at `to`
        return Status::NotFound(fmt::format("catalog: no file {} in library {}", from, library_id));
      }
      return Status::Ok();
    });
  });
}

Result<int> PgCatalog::RecordFailure(const FileFailure& failure) {
  std::lock_guard lock(mu_);
  return Run("record failure", [&](pqxx::transaction_base& tx) -> Result<int> {
    // A changed file is a new case: its count starts again.
    pqxx::result result = tx.exec_prepared(
        Prepared("INSERT INTO failures (" TESSERA_FAILURE_COLUMNS
                 ") SELECT $1::bigint, $2::bytea, $3::bigint, $4::bigint, $5::bytea, 1 "
                 "WHERE EXISTS (SELECT 1 FROM libraries WHERE id = $1::bigint) "
                 "ON CONFLICT (library_id, rel_path) DO UPDATE SET reason = excluded.reason, "
                 "attempts = CASE WHEN failures.size = excluded.size "
                 "AND failures.mtime_ns = excluded.mtime_ns THEN failures.attempts + 1 ELSE 1 END, "
                 "size = excluded.size, mtime_ns = excluded.mtime_ns RETURNING attempts"),
        failure.library_id, Bytes(failure.rel_path), failure.size, failure.mtime_ns,
        Bytes(failure.reason));
    if (result.empty()) {
      return Status::InvalidArgument(fmt::format("catalog: no library {}", failure.library_id));
    }
    return result[0][0].as<int>();
  });
}

Result<std::optional<FileFailure>> PgCatalog::FindFailure(int64_t library_id,
                                                          std::string_view rel_path) {
  std::lock_guard lock(mu_);
  return Run("find failure", [&](pqxx::transaction_base& tx) -> Result<std::optional<FileFailure>> {
    pqxx::result result =
        tx.exec_prepared(Prepared("SELECT " TESSERA_FAILURE_COLUMNS
                                  " FROM failures WHERE library_id = $1 AND rel_path = $2"),
                         library_id, Bytes(rel_path));
    if (result.empty()) return std::optional<FileFailure>();
    return std::optional<FileFailure>(ReadFailure(result[0]));
  });
}

Status PgCatalog::ClearFailure(int64_t library_id, std::string_view rel_path) {
  std::lock_guard lock(mu_);
  return Run("clear failure", [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_prepared(Prepared("DELETE FROM failures WHERE library_id = $1 AND rel_path = $2"),
                     library_id, Bytes(rel_path));
    return Status::Ok();  // clearing what is not there is fine
  });
}

Result<std::vector<FileFailure>> PgCatalog::Failures(int64_t library_id) {
  std::lock_guard lock(mu_);
  return Run("list failures", [&](pqxx::transaction_base& tx) -> Result<std::vector<FileFailure>> {
    pqxx::result result =
        tx.exec_prepared(Prepared("SELECT " TESSERA_FAILURE_COLUMNS
                                  " FROM failures WHERE library_id = $1 ORDER BY rel_path"),
                         library_id);
    std::vector<FileFailure> failures;
    failures.reserve(result.size());
    for (const pqxx::row& row : result) failures.push_back(ReadFailure(row));
    return failures;
  });
}

#undef TESSERA_FILE_COLUMNS
#undef TESSERA_FAILURE_COLUMNS

}  // namespace tessera::library
