// The SQLite catalog's job queue and revoked tokens.
#include <fmt/format.h>

#include "src/library/sqlite_catalog_impl.h"

namespace tessera::library {

Status SqliteCatalog::EnqueueJob(int64_t library_id, std::string_view rel_path,
                                 int64_t generation) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("INSERT INTO jobs (library_id, rel_path, generation) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (library_id, rel_path) DO UPDATE SET "
          "generation = max(jobs.generation, excluded.generation)"));
  stmt->Bind(1, library_id).Bind(2, rel_path).Bind(3, generation);
  return stmt->Run();
}

Result<std::optional<Job>> SqliteCatalog::ClaimJob(std::optional<int64_t> library_id,
                                                   std::string_view worker, int64_t now,
                                                   int64_t lease_seconds) {
  std::lock_guard lock(mu_);
  // One statement: the connection's mutex and SQLite's write lock make the pick and the claim
  // atomic, also against other processes on the same file.
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("UPDATE jobs SET claimed_by = ?2, lease_until = ?3 + ?4, attempts = attempts + 1 "
          "WHERE id = (SELECT id FROM jobs WHERE lease_until < ?3 "
          "AND (?1 IS NULL OR library_id = ?1) ORDER BY id LIMIT 1) "
          "RETURNING id, library_id, rel_path, attempts, generation"));
  if (library_id) {
    stmt->Bind(1, *library_id);
  } else {
    stmt->BindNull(1);
  }
  stmt->Bind(2, worker).Bind(3, now).Bind(4, lease_seconds);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<Job>();
  Job job{stmt->Int(0), stmt->Int(1), stmt->Text(2), static_cast<int>(stmt->Int(3)),
          stmt->Int(4)};
  TESSERA_RETURN_IF_ERROR(stmt->Run());
  return std::optional<Job>(std::move(job));
}

Status SqliteCatalog::ReleaseClaims(std::string_view worker) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("UPDATE jobs SET claimed_by = '', lease_until = 0 WHERE claimed_by = ?1"));
  stmt->Bind(1, worker);
  return stmt->Run();
}

Status SqliteCatalog::FinishJob(int64_t job_id) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt, Use("DELETE FROM jobs WHERE id = ?1"));
  stmt->Bind(1, job_id);
  return stmt->Run();
}

Result<JobCounts> SqliteCatalog::CountJobs(std::optional<int64_t> library_id, int64_t now) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("SELECT coalesce(sum(lease_until < ?2), 0), coalesce(sum(lease_until >= ?2), 0) "
          "FROM jobs WHERE ?1 IS NULL OR library_id = ?1"));
  if (library_id) {
    stmt->Bind(1, *library_id);
  } else {
    stmt->BindNull(1);
  }
  stmt->Bind(2, now);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return Status::Internal("catalog: count of jobs gave no row");
  return JobCounts{stmt->Int(0), stmt->Int(1)};
}

Status SqliteCatalog::RevokeToken(std::string_view token_id, int64_t expires_at) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("INSERT INTO revoked_tokens (id, expires_at) VALUES (?1, ?2) "
                               "ON CONFLICT (id) DO NOTHING"));
  stmt->Bind(1, token_id).Bind(2, expires_at);
  return stmt->Run();
}

Result<bool> SqliteCatalog::IsTokenRevoked(std::string_view token_id) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt, Use("SELECT 1 FROM revoked_tokens WHERE id = ?1"));
  stmt->Bind(1, token_id);
  return stmt->Step();
}

Result<int64_t> SqliteCatalog::PurgeRevokedTokens(int64_t now) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("DELETE FROM revoked_tokens WHERE expires_at < ?1"));
  stmt->Bind(1, now);
  TESSERA_RETURN_IF_ERROR(stmt->Run());
  return stmt->Changes();
}

}  // namespace tessera::library
