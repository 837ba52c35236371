#include "tests/support/catalog_reader.h"

#include <sqlite3.h>

#include <memory>

namespace tessera::testing {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct Finalize {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

}  // namespace

Result<std::vector<Row>> QueryCatalog(const std::string& db_path, const std::string& sql) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, CloseDb> db(raw);
  if (rc != SQLITE_OK) {
    return Status::IOError(db_path + ": " + (raw ? sqlite3_errmsg(raw) : "cannot open"));
  }
  sqlite3_busy_timeout(db.get(), 5000);
  sqlite3_stmt* raw_stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw_stmt, nullptr) != SQLITE_OK) {
    return Status::InvalidArgument(sql + ": " + sqlite3_errmsg(db.get()));
  }
  std::unique_ptr<sqlite3_stmt, Finalize> stmt(raw_stmt);
  std::vector<Row> rows;
  for (;;) {
    rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Status::IOError(sql + ": " + sqlite3_errmsg(db.get()));
    Row row;
    for (int i = 0; i < sqlite3_column_count(stmt.get()); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt.get(), i);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

long long QueryCount(const std::string& db_path, const std::string& sql) {
  Result<std::vector<Row>> rows = QueryCatalog(db_path, sql);
  if (!rows.ok() || rows->size() != 1 || rows->front().empty()) return -1;
  return std::stoll(rows->front().front());
}

}  // namespace tessera::testing
