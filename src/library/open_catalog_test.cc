#include "src/library/open_catalog.h"

#include <filesystem>

#include "src/library/catalog_test_util.h"

namespace tessera::library {
namespace {

TEST(OpenCatalogTest, APathOpensASqliteFile) {
  tessera::testing::TempDir dir;
  auto catalog = OpenCatalog(dir / "catalog.db");
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_TRUE((*catalog)->AddUser(User{0, "alice", "", ""}).ok());
  EXPECT_TRUE(std::filesystem::exists(dir / "catalog.db"));
}

// Nothing listens on port 1: only a PostgreSQL connection attempt fails with kIOError (a SQLite
// file under a missing folder "postgresql:" would be kNotFound).
TEST(OpenCatalogTest, PostgresUrlsGoToPostgres) {
  for (const std::string url : {"postgresql://u:pw-s3cret@127.0.0.1:1/db?connect_timeout=5",
                                "postgres://u:pw-s3cret@127.0.0.1:1/db?connect_timeout=5"}) {
    EXPECT_TRUE(IsPostgresLocation(url));
    auto catalog = OpenCatalog(url);
    ASSERT_FALSE(catalog.ok());
    EXPECT_EQ(catalog.status().code(), StatusCode::kIOError) << catalog.status().ToString();
    EXPECT_EQ(catalog.status().message().find("s3cret"), std::string::npos);
  }
  EXPECT_FALSE(std::filesystem::exists("postgresql:"));
  EXPECT_FALSE(std::filesystem::exists("postgres:"));
}

TEST(OpenCatalogTest, EverythingElseIsAPath) {
  EXPECT_FALSE(IsPostgresLocation("/var/lib/tessera/catalog.db"));
  EXPECT_FALSE(IsPostgresLocation("catalog.db"));
  EXPECT_FALSE(IsPostgresLocation("POSTGRESQL://h/db"));  // libpq's schemes are lowercase
  EXPECT_FALSE(IsPostgresLocation("host=db dbname=photos"));
  EXPECT_EQ(OpenCatalog("").status().code(), StatusCode::kInvalidArgument);
}

TEST(OpenCatalogTest, APostgresUrlOpensTheServersCatalog) {
  TESSERA_SKIP_WITHOUT_POSTGRES();
  testing::PostgresStore store;
  if (!IsPostgresLocation(store.location())) GTEST_SKIP() << "TESSERA_PG_URL is not a URI";
  auto catalog = OpenCatalog(store.location());
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  ASSERT_TRUE((*catalog)->AddUser(User{0, "alice", "", ""}).ok());
  EXPECT_EQ(store.CountRows("users"), 1);
}

}  // namespace
}  // namespace tessera::library
