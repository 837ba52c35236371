// RAII for SQLite handles: a connection and prepared statements with bound parameters. User data
// only ever reaches SQL through Bind*, never by building SQL text.
//
// Thread safety: none. A connection and its statements are used by one thread at a time (the
// catalog serializes them with its mutex).
#ifndef TESSERA_LIBRARY_SQLITE_STATEMENT_H_
#define TESSERA_LIBRARY_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "tessera/status.h"

namespace tessera::library {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteCloser>;

struct SqliteFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using SqliteStmt = std::unique_ptr<sqlite3_stmt, SqliteFinalizer>;

// A Status for SQLite result code `rc`, with the connection's message: "catalog: context: msg".
Status SqliteError(sqlite3* db, int rc, std::string_view context);

// Runs SQL without parameters or rows (schema, pragmas, BEGIN/COMMIT).
Status Exec(sqlite3* db, const char* sql);

class Statement {
 public:
  // REQUIRES: `sql` holds exactly one statement.
  static Result<Statement> Prepare(sqlite3* db, std::string_view sql);

  Statement(Statement&&) = default;
  Statement& operator=(Statement&&) = default;

  // Parameters are numbered from 1 as in SQL (?1, ?2, ...). A failed bind is reported by Step.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindNull(int index);

  // Runs to the next row: true when a row is available, false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows (or ignores them) to completion.
  Status Run();

  // Columns are numbered from 0. REQUIRES: the last Step returned true.
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
  double Double(int col) const { return sqlite3_column_double(stmt_.get(), col); }
  std::string Text(int col) const;
  bool IsNull(int col) const { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }

  // Rows changed by the last Run of an INSERT, UPDATE or DELETE.
  int64_t Changes() const { return sqlite3_changes64(db_); }

  // Ready for another use: parameters cleared, read locks released.
  void Reset();

 private:
  Statement(sqlite3* db, SqliteStmt stmt) : db_(db), stmt_(std::move(stmt)) {}
  void NoteBind(int rc, int index);

  sqlite3* db_;
  SqliteStmt stmt_;
  Status bind_status_;
};

// Borrows a cached Statement and resets it when it goes, so no read transaction stays open.
class StatementUse {
 public:
  explicit StatementUse(Statement* stmt) : stmt_(stmt) {}
  StatementUse(StatementUse&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  StatementUse& operator=(StatementUse&&) = delete;
  ~StatementUse() {
    if (stmt_) stmt_->Reset();
  }
  Statement* operator->() const { return stmt_; }
  Statement& operator*() const { return *stmt_; }

 private:
  Statement* stmt_;
};

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_SQLITE_STATEMENT_H_
