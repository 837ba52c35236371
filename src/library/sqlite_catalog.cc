// Opening the SQLite catalog, transactions, users and library folders. Files and failures are in
// sqlite_catalog_files.cc, photos, shares and variants in sqlite_catalog_photos.cc.
#include "src/library/sqlite_catalog.h"

#include <fcntl.h>
#include <fmt/format.h>

#include <cerrno>

#include "src/core/unique_fd.h"
#include "src/library/sqlite_catalog_impl.h"
#include "src/library/sqlite_schema.h"

namespace tessera::library {
namespace {

// How long a call waits for another process's write before reporting kIOError.
constexpr int kBusyTimeoutMs = 5000;

// Creates the file with mode 0600 before SQLite opens it; SQLite gives its -wal and -shm files
// the database file's mode.
Status CreatePrivateFile(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd.valid()) return Status::FromErrno(errno, fmt::format("catalog: {}", path));
  return Status::Ok();
}

Status ExpectPragma(sqlite3* db, const char* sql, std::string_view expected) {
  TESSERA_ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db, sql));
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || stmt.Text(0) != expected) {
    return Status::Unsupported(fmt::format("catalog: {} gave {}", sql, row ? stmt.Text(0) : ""));
  }
  return Status::Ok();
}

User ReadUser(const Statement& stmt) {
  return User{stmt.Int(0), stmt.Text(1), stmt.Text(2), stmt.Text(3), stmt.Text(4)};
}

}  // namespace

Result<std::unique_ptr<Catalog>> OpenSqliteCatalog(const std::string& path) {
  TESSERA_RETURN_IF_ERROR(CreatePrivateFile(path));
  sqlite3* raw = nullptr;
  // NOMUTEX: SqliteCatalog serializes every use of the connection itself.
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
  SqliteDb db(raw);
  if (rc != SQLITE_OK) return SqliteError(db.get(), rc, fmt::format("open {}", path));
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  Status status = ExpectPragma(db.get(), "PRAGMA journal_mode = WAL", "wal");
  if (status.ok()) status = Exec(db.get(), "PRAGMA synchronous = NORMAL");
  if (status.ok()) status = Exec(db.get(), "PRAGMA foreign_keys = ON");
  if (status.ok()) status = ExpectPragma(db.get(), "PRAGMA foreign_keys", "1");
  if (status.ok()) status = MigrateCatalogSchema(db.get());
  if (!status.ok()) return status.WithContext(path);
  return std::unique_ptr<Catalog>(std::make_unique<SqliteCatalog>(std::move(db)));
}

Result<StatementUse> SqliteCatalog::Use(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    TESSERA_ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db_.get(), sql));
    it = statements_.emplace(sql, std::move(stmt)).first;
  }
  return StatementUse(&it->second);
}

Status SqliteCatalog::RunChangingOne(StatementUse& stmt, std::string_view what) {
  TESSERA_RETURN_IF_ERROR(stmt->Run());
  if (stmt->Changes() == 0) return Status::NotFound(fmt::format("catalog: no {}", what));
  return Status::Ok();
}

Status SqliteCatalog::InTransaction(const std::function<Status()>& body) {
  std::lock_guard lock(mu_);
  // The outermost level takes the write lock up front (IMMEDIATE): a read that later upgrades
  // could fail with SQLITE_BUSY without waiting. Inner levels are savepoints.
  const bool outer = transaction_depth_ == 0;
  TESSERA_RETURN_IF_ERROR(Exec(db_.get(), outer ? "BEGIN IMMEDIATE" : "SAVEPOINT nested"));
  ++transaction_depth_;
  Status status = body();
  --transaction_depth_;
  if (status.ok()) {
    status = Exec(db_.get(), outer ? "COMMIT" : "RELEASE nested");
    if (status.ok()) return status;
  }
  // ROLLBACK TO keeps the savepoint open; RELEASE closes it.
  if (outer) {
    (void)Exec(db_.get(), "ROLLBACK");
  } else {
    (void)Exec(db_.get(), "ROLLBACK TO nested");
    (void)Exec(db_.get(), "RELEASE nested");
  }
  return status;
}

Result<int64_t> SqliteCatalog::AddUser(const User& user) {
  if (user.name.empty()) return Status::InvalidArgument("catalog: empty user name");
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("INSERT INTO users (name, first_name, password_hash) VALUES (?1, ?2, ?3) RETURNING id"));
  stmt->Bind(1, user.name)
      .Bind(2, user.first_name.empty() ? user.name : user.first_name)
      .Bind(3, user.password_hash);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return Status::Internal("catalog: INSERT RETURNING gave no row");
  int64_t id = stmt->Int(0);
  TESSERA_RETURN_IF_ERROR(stmt->Run());
  return id;
}

Result<std::optional<User>> SqliteCatalog::FindUserByName(std::string_view name) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("SELECT id, name, first_name, password_hash, avatar_hash FROM users WHERE name = ?1"));
  stmt->Bind(1, name);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<User>();
  return std::optional<User>(ReadUser(*stmt));
}

Result<std::optional<User>> SqliteCatalog::FindUserById(int64_t id) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("SELECT id, name, first_name, password_hash, avatar_hash FROM users WHERE id = ?1"));
  stmt->Bind(1, id);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<User>();
  return std::optional<User>(ReadUser(*stmt));
}

Status SqliteCatalog::SetPassword(int64_t user_id, std::string_view password_hash) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("UPDATE users SET password_hash = ?2 WHERE id = ?1"));
  stmt->Bind(1, user_id).Bind(2, password_hash);
  return RunChangingOne(stmt, fmt::format("user {}", user_id));
}

Status SqliteCatalog::SetAvatar(int64_t user_id, std::string_view hash) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("UPDATE users SET avatar_hash = ?2 WHERE id = ?1"));
  stmt->Bind(1, user_id).Bind(2, hash);
  return RunChangingOne(stmt, fmt::format("user {}", user_id));
}

Result<std::optional<User>> SqliteCatalog::FindUserByAvatar(std::string_view hash) {
  if (hash.empty()) return std::optional<User>();
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("SELECT id, name, first_name, password_hash, avatar_hash FROM users "
                               "WHERE avatar_hash = ?1 AND avatar_hash <> '' ORDER BY id LIMIT 1"));
  stmt->Bind(1, hash);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<User>();
  return std::optional<User>(ReadUser(*stmt));
}

Result<int64_t> SqliteCatalog::AddLibrary(int64_t owner_id, std::string_view root) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("INSERT INTO libraries (owner_id, root) VALUES (?1, ?2) RETURNING id"));
  stmt->Bind(1, owner_id).Bind(2, root);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return Status::Internal("catalog: INSERT RETURNING gave no row");
  int64_t id = stmt->Int(0);
  TESSERA_RETURN_IF_ERROR(stmt->Run());
  return id;
}

Result<std::vector<Library>> SqliteCatalog::Libraries(std::optional<int64_t> owner_id) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("SELECT id, owner_id, root FROM libraries WHERE ?1 IS NULL OR owner_id = ?1 "
          "ORDER BY id"));
  if (owner_id) stmt->Bind(1, *owner_id);  // unbound parameters are NULL
  std::vector<Library> libraries;
  for (;;) {
    TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return libraries;
    libraries.push_back(Library{stmt->Int(0), stmt->Int(1), stmt->Text(2)});
  }
}

}  // namespace tessera::library
