// Helpers for the catalog tests: a fresh, empty catalog of each backend for every test. For tests
// only.
//
// The backend-neutral tests are value-parameterized over Backend and instantiated for both with
// TESSERA_CATALOG_BACKENDS(Suite): "Sqlite/Suite.Test/0" and "Postgres/Suite.Test/0".
//
// SQLite: a file in a new temp folder. PostgreSQL: a new schema on the server at $TESSERA_PG_URL
// (bash scripts/postgres-test.sh starts one and prints its URL), named for the process and test,
// dropped with everything in it after the test; the catalog connects with that schema as its
// search_path. Without $TESSERA_PG_URL the PostgreSQL tests are skipped, or fail when
// $TESSERA_REQUIRE_POSTGRES=1.
#ifndef TESSERA_LIBRARY_CATALOG_TEST_UTIL_H_
#define TESSERA_LIBRARY_CATALOG_TEST_UTIL_H_

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <pqxx/pqxx>
#include <random>
#include <string>

#include "src/core/test_fs.h"
#include "src/library/catalog.h"
#include "src/library/pg_catalog.h"
#include "src/library/sqlite_catalog.h"
#include "src/library/sqlite_schema.h"

namespace tessera::library::testing {

// A valid content hash, distinct for each `n`.
inline std::string HashOf(int n) { return fmt::format("{:064x}", n); }

inline PhotoMeta JpegMeta() { return PhotoMeta{"image/jpeg", 4000, 3000, 123456, 0, "ph"}; }

enum class Backend { kSqlite, kPostgres };

inline void PrintTo(Backend backend, std::ostream* os) {
  *os << (backend == Backend::kSqlite ? "sqlite" : "postgres");
}

// Why the PostgreSQL tests cannot run here, or "" when $TESSERA_PG_URL names a server.
inline std::string PostgresUnavailable() {
  const char* url = std::getenv("TESSERA_PG_URL");
  if (url != nullptr && *url != '\0') return "";
  return "TESSERA_PG_URL is not set: no PostgreSQL server to test against "
         "(TESSERA_PG_URL=$(bash scripts/postgres-test.sh) provides one)";
}

inline bool PostgresRequired() {
  const char* required = std::getenv("TESSERA_REQUIRE_POSTGRES");
  return required != nullptr && std::string(required) == "1";
}

// Skips the current test, or fails it when TESSERA_REQUIRE_POSTGRES=1, unless a PostgreSQL
// server is available. Returns from the calling function (a SetUp or a test body) when it stops.
#define TESSERA_SKIP_WITHOUT_POSTGRES()                                                  \
  do {                                                                                   \
    const std::string tessera_why_ = ::tessera::library::testing::PostgresUnavailable(); \
    if (!tessera_why_.empty()) {                                                         \
      if (::tessera::library::testing::PostgresRequired()) FAIL() << tessera_why_;       \
      GTEST_SKIP() << tessera_why_;                                                      \
    }                                                                                    \
  } while (0)

// One test's catalog store, removed with everything in it when it goes.
class CatalogStore {
 public:
  virtual ~CatalogStore() = default;
  // What OpenCatalog (open_catalog.h) takes to open this store.
  virtual std::string location() const = 0;
  // A new connection to the store, as another process or host would open it.
  virtual Result<std::unique_ptr<Catalog>> Open() = 0;
  // How many rows `table` holds, read past the Catalog.
  // REQUIRES: `table` is the name of one of the catalog's tables.
  virtual int64_t CountRows(const std::string& table) = 0;
  // Makes the stored schema say it is one version older, so that the next Open runs the last
  // migration again: how a catalog of the previous release meets this one.
  virtual void ForgetLastMigration() = 0;
};

class SqliteStore final : public CatalogStore {
 public:
  std::string location() const override { return path(); }
  std::string path() const { return dir_ / "catalog.db"; }
  Result<std::unique_ptr<Catalog>> Open() override { return OpenSqliteCatalog(path()); }

  int64_t CountRows(const std::string& table) override {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT count(*) FROM " + table;
    int64_t count = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      count = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return count;
  }

  void ForgetLastMigration() override {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    const std::string sql = fmt::format("PRAGMA user_version = {}", kCatalogSchemaVersion - 1);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }

 private:
  tessera::testing::TempDir dir_;
};

class PostgresStore final : public CatalogStore {
 public:
  // A new, empty schema on the server at $TESSERA_PG_URL. Throws when the server cannot be
  // reached. REQUIRES: PostgresUnavailable() is empty.
  PostgresStore() : url_(std::getenv("TESSERA_PG_URL")), admin_(url_), schema_(NewSchemaName()) {
    pqxx::nontransaction tx(admin_);
    tx.exec("SET synchronous_commit = off");
    tx.exec("CREATE SCHEMA " + tx.quote_name(schema_));
    tx.commit();
    // The schema's name is also the application_name, by which a test finds its connections.
    conninfo_ = WithOptions(url_, schema_);
  }
  ~PostgresStore() override {
    try {
      pqxx::nontransaction tx(admin_);
      tx.exec("DROP SCHEMA IF EXISTS " + tx.quote_name(schema_) + " CASCADE");
      tx.commit();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "drop schema " << schema_ << ": " << e.what();
    }
  }
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  std::string location() const override { return conninfo_; }
  const std::string& schema() const { return schema_; }
  Result<std::unique_ptr<Catalog>> Open() override { return OpenPostgresCatalog(conninfo_); }

  void ForgetLastMigration() override {
    const std::string table = Qualified("tessera_schema_version");
    Query("DELETE FROM " + table + " WHERE version = (SELECT max(version) FROM " + table + ")");
  }

  int64_t CountRows(const std::string& table) override {
    return Query("SELECT count(*) FROM " + Qualified(table))[0][0].as<int64_t>();
  }

  // Runs `sql` on a connection of its own (not a catalog's), outside any transaction.
  pqxx::result Query(const std::string& sql) {
    pqxx::nontransaction tx(admin_);
    pqxx::result result = tx.exec(sql);
    tx.commit();
    return result;
  }
  // "schema"."table", for Query.
  std::string Qualified(const std::string& table) {
    pqxx::nontransaction tx(admin_);
    return tx.quote_name(schema_) + "." + tx.quote_name(table);
  }
  // Ends every connection opened with this store's conninfo (a server restart, seen from a
  // catalog). Returns how many.
  int TerminateConnections() {
    pqxx::nontransaction tx(admin_);
    pqxx::result result = tx.exec_params(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE application_name = $1 AND pid <> pg_backend_pid()",
        schema_);
    tx.commit();
    return result[0][0].as<int>();
  }

  // `url` with the schema as search_path and application_name, in its own syntax. Commits do
  // not wait for the disk: a test's data need not survive a crash of the server.
  static std::string WithOptions(const std::string& url, const std::string& schema) {
    if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
      return fmt::format(
          "{}{}options=-csearch_path%3D{}%20-csynchronous_commit%3Doff&application_name={}", url,
          url.find('?') == std::string::npos ? "?" : "&", schema, schema);
    }
    return fmt::format("{} options='-csearch_path={} -csynchronous_commit=off' application_name={}",
                       url, schema, schema);
  }

 private:
  // Unique among concurrent test processes (ctest -j) and across runs.
  static std::string NewSchemaName() {
    static std::atomic<int> counter{0};
    return fmt::format("tessera_test_{}_{}_{:08x}", ::getpid(), counter++,
                       std::random_device()() & 0xffffffffu);
  }

  const std::string url_;
  pqxx::connection admin_;
  const std::string schema_;
  std::string conninfo_;
};

inline std::unique_ptr<CatalogStore> NewStore(Backend backend) {
  if (backend == Backend::kPostgres) return std::make_unique<PostgresStore>();
  return std::make_unique<SqliteStore>();
}

// A fresh catalog of the test's backend. Derived fixtures' SetUp calls CatalogFixture::SetUp()
// and returns when Stopped().
class CatalogFixture : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) TESSERA_SKIP_WITHOUT_POSTGRES();
    store_ = NewStore(GetParam());
    Reopen();
  }

  // Whether SetUp skipped the test or failed.
  static bool Stopped() { return IsSkipped() || HasFatalFailure(); }

  void Reopen() {
    catalog_.reset();
    auto opened = store_->Open();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    catalog_ = std::move(opened).value();
  }

  int64_t CountRows(const std::string& table) { return store_->CountRows(table); }

  int64_t AddUser(const std::string& name) {
    auto id = catalog_->AddUser(User{0, name, "", ""});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  int64_t AddPhoto(int64_t owner, int n) {
    auto id = catalog_->UpsertPhoto(owner, HashOf(n), JpegMeta());
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  std::unique_ptr<CatalogStore> store_;
  std::unique_ptr<Catalog> catalog_;  // declared after store_: closed before it is removed
};

// Runs a value-parameterized suite of CatalogFixture tests on both backends.
#define TESSERA_CATALOG_BACKENDS(suite)                                                       \
  INSTANTIATE_TEST_SUITE_P(Sqlite, suite,                                                     \
                           ::testing::Values(::tessera::library::testing::Backend::kSqlite)); \
  INSTANTIATE_TEST_SUITE_P(Postgres, suite,                                                   \
                           ::testing::Values(::tessera::library::testing::Backend::kPostgres))

}  // namespace tessera::library::testing

#endif  // TESSERA_LIBRARY_CATALOG_TEST_UTIL_H_
