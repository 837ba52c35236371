// Opening the PostgreSQL catalog, its connection and transactions. Users and library folders are
// in pg_catalog_users.cc, files and failures in pg_catalog_files.cc, photos, shares, variants and
// faces in pg_catalog_photos.cc, the job queue and revoked tokens in pg_catalog_jobs.cc.
#include "src/library/pg_catalog.h"

#include <fmt/format.h>

#include <stdexcept>

#include "src/library/pg_catalog_impl.h"
#include "src/library/pg_schema.h"

namespace tessera::library {
namespace {

// Waiting longer than this for a row another host has locked is reported as kIOError (busy), as
// the SQLite catalog gives up on a locked file after 5 seconds.
constexpr char kSessionSetup[] =
    "SET lock_timeout = '5s'; SET default_transaction_isolation = 'read committed'";

// The savepoint of a nested InTransaction. Reusing the name is fine: ROLLBACK TO and RELEASE
// act on the most recent savepoint of that name, which is the innermost open one.
constexpr char kSavepoint[] = "SAVEPOINT tessera_nested";
constexpr char kRelease[] = "RELEASE SAVEPOINT tessera_nested";
constexpr char kRollbackTo[] = "ROLLBACK TO SAVEPOINT tessera_nested";

}  // namespace

Result<std::unique_ptr<pqxx::connection>> PgConnect(const std::string& conninfo,
                                                    const PgSecrets& secrets) {
  try {
    auto conn = std::make_unique<pqxx::connection>(conninfo);
    // libpqxx would otherwise reconnect silently on the next statement, which inside a
    // transaction would run the rest of it outside the transaction.
#include <pqxx/internal/ignore-deprecated-pre.hxx>
    conn->inhibit_reactivation(true);
#include <pqxx/internal/ignore-deprecated-post.hxx>
    conn->set_client_encoding("UTF8");
    pqxx::nontransaction tx(*conn);
    tx.exec(kSessionSetup);
    tx.commit();
    return conn;
  } catch (const std::exception& e) {
    bool lost = false;
    return secrets.Scrub(PgErrorStatus(e, "connect to PostgreSQL", &lost));
  }
}

Result<std::unique_ptr<Catalog>> OpenPostgresCatalog(const std::string& conninfo) {
  PgSecrets secrets = PgSecrets::Of(conninfo);
  TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> conn, PgConnect(conninfo, secrets));
  TESSERA_RETURN_IF_ERROR(secrets.Scrub(MigratePgCatalogSchema(*conn)));
  return std::unique_ptr<Catalog>(
      std::make_unique<PgCatalog>(conninfo, std::move(secrets), std::move(conn)));
}

const std::string& PgCatalog::Prepared(const char* sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = fmt::format("tessera_{}", prepared_.size());
    conn_->prepare(name, sql);  // sent to the server with its first use
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  return it->second;
}

Status PgCatalog::Ready() {
  if (!levels_.empty()) {
    const Status& aborted = levels_.back();
    if (!aborted.ok()) {
      return Status(aborted.code(),
                    fmt::format("catalog: the transaction was aborted by an earlier failure: {}",
                                aborted.message()));
    }
    if (!conn_) return Status::IOError("catalog: the connection was lost during the transaction");
    return Status::Ok();
  }
  if (conn_) return Status::Ok();
  // Outside a transaction nothing is lost by starting a new session.
  TESSERA_ASSIGN_OR_RETURN(conn_, PgConnect(conninfo_, secrets_));
  prepared_.clear();
  return Status::Ok();
}

Status PgCatalog::Failed(const std::exception& e, std::string_view what) {
  bool lost = false;
  Status status = secrets_.Scrub(PgErrorStatus(e, what, &lost));
  if (lost || (conn_ && !conn_->is_open())) {
    // The server rolled back whatever transaction was open; every level of it is gone.
    conn_.reset();
    prepared_.clear();
    for (Status& level : levels_) {
      if (level.ok()) level = status;
    }
  } else if (!levels_.empty() && levels_.back().ok()) {
    // PostgreSQL refuses every further statement of an aborted transaction until it rolls back
    // (to the savepoint of the innermost InTransaction).
    levels_.back() = status;
  }
  return status;
}

Status PgCatalog::Control(const char* sql) {
  if (!conn_) return Status::IOError("catalog: the connection was lost during the transaction");
  try {
    pqxx::nontransaction tx(*conn_);
    tx.exec(sql);
    tx.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Failed(e, sql);
  }
}

Status PgCatalog::InTransaction(const std::function<Status()>& body) {
  std::lock_guard lock(mu_);
  TESSERA_RETURN_IF_ERROR(Ready());
  // The outermost level is the server's transaction; inner levels are savepoints.
  const bool outer = levels_.empty();
  TESSERA_RETURN_IF_ERROR(Control(outer ? "BEGIN" : kSavepoint));
  levels_.emplace_back();
  Status status;
  try {
    status = body();
  } catch (const std::exception& e) {
    status = Status::Internal(fmt::format("catalog: transaction: {}", e.what()));
  } catch (...) {
    status = Status::Internal("catalog: transaction: unknown exception");
  }
  const Status aborted = levels_.back();
  levels_.pop_back();
  // A body that went on after a call aborted the transaction cannot commit it (PostgreSQL would
  // answer COMMIT with a silent ROLLBACK).
  if (status.ok()) status = aborted;

  if (outer) {
    if (status.ok()) {
      Status committed = Control("COMMIT");
      if (committed.ok()) return committed;
      if (!conn_) {
        return Status::IOError(fmt::format(
            "{} (the connection was lost while committing: the transaction may or may not have "
            "been applied)",
            committed.message()));
      }
      return committed;  // a failed COMMIT ends the transaction
    }
    if (!Control("ROLLBACK").ok()) {
      // A session stuck in a transaction would swallow every later call: drop it instead.
      conn_.reset();
      prepared_.clear();
    }
    return status;
  }

  const Status parent = levels_.back();
  if (status.ok()) {
    Status released = Control(kRelease);
    if (released.ok()) return released;
    status = released;
  }
  // ROLLBACK TO keeps the savepoint open; RELEASE closes it. Once both ran, the enclosing level
  // is as it was before this one began.
  if (Control(kRollbackTo).ok() && Control(kRelease).ok()) levels_.back() = parent;
  return status;
}

}  // namespace tessera::library
