// Helpers for the catalog tests: a fresh SQLite catalog in a temp folder. For tests only.
#ifndef TESSERA_LIBRARY_CATALOG_TEST_UTIL_H_
#define TESSERA_LIBRARY_CATALOG_TEST_UTIL_H_

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "src/core/test_fs.h"
#include "src/library/catalog.h"
#include "src/library/sqlite_catalog.h"

namespace tessera::library::testing {

// A valid content hash, distinct for each `n`.
inline std::string HashOf(int n) { return fmt::format("{:064x}", n); }

inline PhotoMeta JpegMeta() { return PhotoMeta{"image/jpeg", 4000, 3000, 123456, 0, "ph"}; }

class CatalogFixture : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  std::string db_path() const { return dir_ / "catalog.db"; }

  void Reopen() {
    catalog_.reset();
    auto opened = OpenSqliteCatalog(db_path());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    catalog_ = std::move(opened).value();
  }

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

  tessera::testing::TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
};

}  // namespace tessera::library::testing

#endif  // TESSERA_LIBRARY_CATALOG_TEST_UTIL_H_
