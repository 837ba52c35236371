// The PostgreSQL catalog's job queue, shared by workers on several hosts, and revoked tokens.
#include <fmt/format.h>

#include "src/library/pg_catalog_impl.h"

namespace tessera::library {

Status PgCatalog::EnqueueJob(int64_t library_id, std::string_view rel_path,
                             int64_t generation) {
  std::lock_guard lock(mu_);
  return Run("enqueue job", [&](pqxx::transaction_base& tx) -> Status {
    // Already queued is fine, an unknown library is not: the statement tells them apart.
    pqxx::result result = tx.exec_prepared(
        Prepared("WITH known AS (SELECT EXISTS (SELECT 1 FROM libraries WHERE id = $1::bigint) "
                 "AS ok), queued AS (INSERT INTO jobs (library_id, rel_path, generation) "
                 "SELECT $1::bigint, $2::bytea, $3::bigint FROM known WHERE ok "
                 "ON CONFLICT (library_id, rel_path) DO UPDATE SET "
                 "generation = GREATEST(jobs.generation, excluded.generation)) "
                 "SELECT ok FROM known"),
        library_id, Bytes(rel_path), generation);
    if (!result[0][0].as<bool>()) {
      return Status::InvalidArgument(fmt::format("catalog: no library {}", library_id));
    }
    return Status::Ok();
  });
}

Result<std::optional<Job>> PgCatalog::ClaimJob(std::optional<int64_t> library_id,
                                               std::string_view worker, int64_t now,
                                               int64_t lease_seconds) {
  if (!IsStorableText(worker)) {
    return Status::InvalidArgument("catalog: worker name is not UTF-8 text");
  }
  int64_t lease_until = 0;
  if (__builtin_add_overflow(now, lease_seconds, &lease_until)) {
    return Status::InvalidArgument("catalog: lease ends beyond the representable time");
  }
  std::lock_guard lock(mu_);
  return Run("claim job", [&](pqxx::transaction_base& tx) -> Result<std::optional<Job>> {
    // SKIP LOCKED: a worker on another host claiming the same row at this moment holds its lock,
    // so this one takes the next job instead of waiting for it (and then finding it claimed).
    pqxx::result result = tx.exec_prepared(
        Prepared("UPDATE jobs SET claimed_by = $2, lease_until = $4, attempts = attempts + 1 "
                 "WHERE id = (SELECT id FROM jobs WHERE lease_until < $3 "
                 "AND ($1::bigint IS NULL OR library_id = $1::bigint) "
                 "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
                 "RETURNING id, library_id, rel_path, attempts, generation"),
        library_id, std::string(worker), now, lease_until);
    if (result.empty()) return std::optional<Job>();
    const pqxx::row row = result[0];
    return std::optional<Job>(
        Job{row[0].as<int64_t>(), row[1].as<int64_t>(), BytesOf(row[2]), row[3].as<int>(),
            row[4].as<int64_t>()});
  });
}

Status PgCatalog::ReleaseClaims(std::string_view worker) {
  if (!IsStorableText(worker)) return Status::Ok();  // no job can be claimed by it
  std::lock_guard lock(mu_);
  return Run("release claims", [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_prepared(
        Prepared("UPDATE jobs SET claimed_by = '', lease_until = 0 WHERE claimed_by = $1"),
        std::string(worker));
    return Status::Ok();
  });
}

Status PgCatalog::FinishJob(int64_t job_id) {
  std::lock_guard lock(mu_);
  return Run("finish job", [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_prepared(Prepared("DELETE FROM jobs WHERE id = $1"), job_id);
    return Status::Ok();
  });
}

Result<JobCounts> PgCatalog::CountJobs(std::optional<int64_t> library_id, int64_t now) {
  std::lock_guard lock(mu_);
  return Run("count jobs", [&](pqxx::transaction_base& tx) -> Result<JobCounts> {
    pqxx::result result =
        tx.exec_prepared(Prepared("SELECT count(*) FILTER (WHERE lease_until < $2), "
                                  "count(*) FILTER (WHERE lease_until >= $2) FROM jobs "
                                  "WHERE $1::bigint IS NULL OR library_id = $1::bigint"),
                         library_id, now);
    return JobCounts{result[0][0].as<int64_t>(), result[0][1].as<int64_t>()};
  });
}

Status PgCatalog::RevokeToken(std::string_view token_id, int64_t expires_at) {
  if (!IsStorableText(token_id)) {
    return Status::InvalidArgument("catalog: token id is not UTF-8 text");
  }
  std::lock_guard lock(mu_);
  return Run("revoke token", [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_prepared(Prepared("INSERT INTO revoked_tokens (id, expires_at) VALUES ($1, $2) "
                              "ON CONFLICT (id) DO NOTHING"),
                     std::string(token_id), expires_at);
    return Status::Ok();
  });
}

Result<bool> PgCatalog::IsTokenRevoked(std::string_view token_id) {
  if (!IsStorableText(token_id)) return false;  // it cannot have been revoked
  std::lock_guard lock(mu_);
  return Run("check token", [&](pqxx::transaction_base& tx) -> Result<bool> {
    return !tx.exec_prepared(Prepared("SELECT 1 FROM revoked_tokens WHERE id = $1"),
                             std::string(token_id))
                .empty();
  });
}

Result<int64_t> PgCatalog::PurgeRevokedTokens(int64_t now) {
  std::lock_guard lock(mu_);
  return Run("purge revoked tokens", [&](pqxx::transaction_base& tx) -> Result<int64_t> {
    pqxx::result result =
        tx.exec_prepared(Prepared("DELETE FROM revoked_tokens WHERE expires_at < $1"), now);
    return static_cast<int64_t>(result.affected_rows());
  });
}

}  // namespace tessera::library
