// The SQLite catalog's files (scan state) and failure ledger.
#include <fmt/format.h>

#include "src/library/sqlite_catalog_impl.h"

namespace tessera::library {
namespace {

PhotoFile ReadFile(const Statement& stmt) {
  return PhotoFile{stmt.Int(0),  stmt.Text(1), stmt.Int(2), stmt.Int(3),
                   stmt.Text(4), stmt.Int(5),  stmt.Int(6)};
}

FileFailure ReadFailure(const Statement& stmt) {
  return FileFailure{stmt.Int(0), stmt.Text(1), stmt.Int(2),
                     stmt.Int(3), stmt.Text(4), static_cast<int>(stmt.Int(5))};
}

}  // namespace

Result<std::optional<PhotoFile>> SqliteCatalog::FindFile(int64_t library_id,
                                                         std::string_view rel_path) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("SELECT library_id, rel_path, size, mtime_ns, quick_hash, photo_id, seen_generation "
          "FROM files WHERE library_id = ?1 AND rel_path = ?2"));
  stmt->Bind(1, library_id).Bind(2, rel_path);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<PhotoFile>();
  return std::optional<PhotoFile>(ReadFile(*stmt));
}

Result<std::vector<PhotoFile>> SqliteCatalog::FilesOfPhoto(int64_t photo_id) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("SELECT library_id, rel_path, size, mtime_ns, quick_hash, photo_id, seen_generation "
          "FROM files WHERE photo_id = ?1 ORDER BY library_id, rel_path"));
  stmt->Bind(1, photo_id);
  std::vector<PhotoFile> files;
  while (true) {
    TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    files.push_back(ReadFile(*stmt));
  }
  return files;
}

Status SqliteCatalog::UpsertFile(const PhotoFile& file) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("INSERT INTO files (library_id, rel_path, size, mtime_ns, quick_hash, photo_id, "
          "seen_generation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
          "ON CONFLICT (library_id, rel_path) DO UPDATE SET size = excluded.size, "
          "mtime_ns = excluded.mtime_ns, quick_hash = excluded.quick_hash, "
          "photo_id = excluded.photo_id, "
          "seen_generation = max(files.seen_generation, excluded.seen_generation)"));
  stmt->Bind(1, file.library_id)
      .Bind(2, file.rel_path)
      .Bind(3, file.size)
      .Bind(4, file.mtime_ns)
      .Bind(5, file.quick_hash)
      .Bind(6, file.photo_id)
      .Bind(7, file.seen_generation);
  return stmt->Run();
}

Status SqliteCatalog::MarkSeen(int64_t library_id, std::string_view rel_path, int64_t generation) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("UPDATE files SET seen_generation = max(seen_generation, ?3) "
          "WHERE library_id = ?1 AND rel_path = ?2"));
  stmt->Bind(1, library_id).Bind(2, rel_path).Bind(3, generation);
  return RunChangingOne(stmt, fmt::format("file {} in library {}", rel_path, library_id));
}

Result<int64_t> SqliteCatalog::RemoveFilesNotSeen(int64_t library_id, int64_t generation) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("DELETE FROM files WHERE library_id = ?1 AND seen_generation < ?2"));
  stmt->Bind(1, library_id).Bind(2, generation);
  TESSERA_RETURN_IF_ERROR(stmt->Run());
  return stmt->Changes();
}

Status SqliteCatalog::RenameFile(int64_t library_id, std::string_view from, std::string_view to) {
  if (from == to) return Status::Ok();
  return InTransaction([&]() -> Status {
    {
      TESSERA_ASSIGN_OR_RETURN(StatementUse drop,
                               Use("DELETE FROM files WHERE library_id = ?1 AND rel_path = ?2"));
      drop->Bind(1, library_id).Bind(2, to);
      TESSERA_RETURN_IF_ERROR(drop->Run());
    }
    TESSERA_ASSIGN_OR_RETURN(
        StatementUse move,
        Use("UPDATE files SET rel_path = ?3 WHERE library_id = ?1 AND rel_path = ?2"));
    move->Bind(1, library_id).Bind(2, from).Bind(3, to);
    return RunChangingOne(move, fmt::format("file {} in library {}", from, library_id));
  });
}

Result<int> SqliteCatalog::RecordFailure(const FileFailure& failure) {
  std::lock_guard lock(mu_);
  // A changed file is a new case: its count starts again.
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("INSERT INTO failures (library_id, rel_path, size, mtime_ns, reason, attempts) "
          "VALUES (?1, ?2, ?3, ?4, ?5, 1) "
          "ON CONFLICT (library_id, rel_path) DO UPDATE SET reason = excluded.reason, "
          "attempts = CASE WHEN size = excluded.size AND mtime_ns = excluded.mtime_ns "
          "THEN attempts + 1 ELSE 1 END, size = excluded.size, mtime_ns = excluded.mtime_ns "
          "RETURNING attempts"));
  stmt->Bind(1, failure.library_id)
      .Bind(2, failure.rel_path)
      .Bind(3, failure.size)
      .Bind(4, failure.mtime_ns)
      .Bind(5, failure.reason);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return Status::Internal("catalog: INSERT RETURNING gave no row");
  int attempts = static_cast<int>(stmt->Int(0));
  TESSERA_RETURN_IF_ERROR(stmt->Run());
  return attempts;
}

Result<std::optional<FileFailure>> SqliteCatalog::FindFailure(int64_t library_id,
                                                              std::string_view rel_path) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("SELECT library_id, rel_path, size, mtime_ns, reason, attempts FROM failures "
          "WHERE library_id = ?1 AND rel_path = ?2"));
  stmt->Bind(1, library_id).Bind(2, rel_path);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<FileFailure>();
  return std::optional<FileFailure>(ReadFailure(*stmt));
}

Status SqliteCatalog::ClearFailure(int64_t library_id, std::string_view rel_path) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("DELETE FROM failures WHERE library_id = ?1 AND rel_path = ?2"));
  stmt->Bind(1, library_id).Bind(2, rel_path);
  return stmt->Run();  // clearing what is not there is fine
}

Result<std::vector<FileFailure>> SqliteCatalog::Failures(int64_t library_id) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("SELECT library_id, rel_path, size, mtime_ns, reason, attempts FROM failures "
          "WHERE library_id = ?1 ORDER BY rel_path"));
  stmt->Bind(1, library_id);
  std::vector<FileFailure> failures;
  for (;;) {
    TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return failures;
    failures.push_back(ReadFailure(*stmt));
  }
}

}  // namespace tessera::library
