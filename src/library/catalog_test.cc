// The SQLite catalog: schema, users, files, failures, variants, transactions, concurrency.
#include <sqlite3.h>
#include <sys/stat.h>

#include <thread>
#include <vector>

#include "src/library/catalog_test_util.h"
#include "src/library/sqlite_schema.h"

namespace tessera::library {
namespace {

using testing::CatalogFixture;
using testing::HashOf;
using testing::JpegMeta;

class CatalogTest : public CatalogFixture {
 protected:
  // A single-value query on a separate raw connection, to see what is really on disk.
  std::string Query(const char* sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(db_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    std::string value;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      auto text = sqlite3_column_text(stmt, 0);
      if (text) value = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
  }

  int64_t AddLibrary(int64_t owner, const std::string& root) {
    auto id = catalog_->AddLibrary(owner, root);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  PhotoFile File(int64_t library, const std::string& path, int64_t photo, int64_t generation) {
    return PhotoFile{library, path, 100, 1'700'000'000'000'000'000, "abcd", photo, generation};
  }
};

TEST_F(CatalogTest, CreatesSchemaWalPrivateFileAndPersistsAcrossReopen) {
  int64_t alice = AddUser("alice");
  AddPhoto(alice, 1);
  // SQLite gives the write-ahead log the database file's mode.
  EXPECT_EQ(tessera::testing::Stat(db_path() + "-wal").st_mode & 0777, 0600);
  Reopen();
  auto found = catalog_->FindUserByName("alice");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, alice);
  EXPECT_EQ((*found)->first_name, "alice");  // defaults to the name
  EXPECT_TRUE(catalog_->FindPhotoForViewer(HashOf(1), alice)->has_value());

  EXPECT_EQ(Query("PRAGMA user_version"), std::to_string(kCatalogSchemaVersion));
  EXPECT_EQ(Query("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(tessera::testing::Stat(db_path()).st_mode & 0777, 0600);
}

TEST_F(CatalogTest, RefusesACatalogFromANewerVersion) {
  catalog_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto opened = OpenSqliteCatalog(db_path());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnsupported);
}

TEST_F(CatalogTest, UsersHaveUniqueNamesAndPasswordsCanChange) {
  int64_t alice = AddUser("alice");
  auto again = catalog_->AddUser(User{0, "alice", "", ""});
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog_->AddUser(User{}).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(catalog_->SetPassword(alice, "$argon2id$x").ok());
  EXPECT_EQ((*catalog_->FindUserById(alice))->password_hash, "$argon2id$x");
  EXPECT_EQ(catalog_->SetPassword(999, "h").code(), StatusCode::kNotFound);
  EXPECT_FALSE(catalog_->FindUserById(999)->has_value());
  EXPECT_FALSE(catalog_->FindUserByName("bob")->has_value());
}

TEST_F(CatalogTest, LibrariesByOwnerOrAll) {
  int64_t alice = AddUser("alice");
  int64_t bob = AddUser("bob");
  AddLibrary(alice, "/photos/alice");
  AddLibrary(alice, "/photos/shared");
  AddLibrary(bob, "/photos/bob");
  EXPECT_EQ(catalog_->Libraries(alice)->size(), 2u);
  EXPECT_EQ(catalog_->Libraries(bob)->size(), 1u);
  EXPECT_EQ(catalog_->Libraries(std::nullopt)->size(), 3u);
  EXPECT_EQ(catalog_->AddLibrary(12345, "/x").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(CatalogTest, PhotoIdentityIsOwnerAndHash) {
  int64_t alice = AddUser("alice");
  int64_t bob = AddUser("bob");
  int64_t a1 = AddPhoto(alice, 7);
  int64_t a2 = AddPhoto(alice, 7);
  int64_t b1 = AddPhoto(bob, 7);
  EXPECT_EQ(a1, a2);
  EXPECT_NE(a1, b1);
  EXPECT_EQ(Query("SELECT count(*) FROM photos"), "2");
  EXPECT_EQ(catalog_->UpsertPhoto(alice, "not-a-hash", JpegMeta()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog_->UpsertPhoto(alice, std::string(64, 'A'), JpegMeta()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(CatalogTest, RenameKeepsThePhoto) {
  int64_t alice = AddUser("alice");
  int64_t lib = AddLibrary(alice, "/p");
  int64_t photo = AddPhoto(alice, 1);
  ASSERT_TRUE(catalog_->UpsertFile(File(lib, "a/x.jpg", photo, 1)).ok());
  ASSERT_TRUE(catalog_->RenameFile(lib, "a/x.jpg", "b/y.jpg").ok());
  EXPECT_FALSE(catalog_->FindFile(lib, "a/x.jpg")->has_value());
  auto moved = catalog_->FindFile(lib, "b/y.jpg");
  ASSERT_TRUE(moved.ok() && moved->has_value());
  EXPECT_EQ((*moved)->photo_id, photo);
  EXPECT_EQ(catalog_->RenameFile(lib, "gone.jpg", "b/y.jpg").code(), StatusCode::kNotFound);
  EXPECT_TRUE(catalog_->FindFile(lib, "b/y.jpg")->has_value());  // rolled back, not deleted
}

TEST_F(CatalogTest, FilesOfPhotoListsEveryCopy) {
  int64_t alice = AddUser("alice");
  int64_t lib = AddLibrary(alice, "/p");
  int64_t photo = AddPhoto(alice, 1);
  int64_t other = AddPhoto(alice, 2);
  ASSERT_TRUE(catalog_->UpsertFile(File(lib, "b/copy.jpg", photo, 1)).ok());
  ASSERT_TRUE(catalog_->UpsertFile(File(lib, "a/x.jpg", photo, 1)).ok());
  ASSERT_TRUE(catalog_->UpsertFile(File(lib, "c/other.jpg", other, 1)).ok());
  auto files = catalog_->FilesOfPhoto(photo);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].rel_path, "a/x.jpg");
  EXPECT_EQ((*files)[1].rel_path, "b/copy.jpg");
  EXPECT_TRUE(catalog_->FilesOfPhoto(9999)->empty());
}

TEST_F(CatalogTest, FileMustBelongToThePhotosOwner) {
  int64_t alice = AddUser("alice");
  int64_t bob = AddUser("bob");
  int64_t lib = AddLibrary(alice, "/p");
  int64_t bobs = AddPhoto(bob, 1);
  EXPECT_EQ(catalog_->UpsertFile(File(lib, "x.jpg", bobs, 1)).code(), StatusCode::kInvalidArgument);
}

TEST_F(CatalogTest, RescanGenerationRemovesDeletedFiles) {
  int64_t alice = AddUser("alice");
  int64_t lib = AddLibrary(alice, "/p");
  int64_t photo = AddPhoto(alice, 1);
  for (const char* path : {"a.jpg", "b.jpg", "c.jpg"}) {
    ASSERT_TRUE(catalog_->UpsertFile(File(lib, path, photo, 1)).ok());
  }
  ASSERT_TRUE(catalog_->MarkSeen(lib, "a.jpg", 2).ok());
  ASSERT_TRUE(catalog_->UpsertFile(File(lib, "c.jpg", photo, 2)).ok());
  EXPECT_EQ(catalog_->MarkSeen(lib, "new.jpg", 2).code(), StatusCode::kNotFound);
  auto removed = catalog_->RemoveFilesNotSeen(lib, 2);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  EXPECT_FALSE(catalog_->FindFile(lib, "b.jpg")->has_value());
  EXPECT_EQ((*catalog_->FindFile(lib, "a.jpg"))->seen_generation, 2);
}

TEST_F(CatalogTest, FailuresCountAttemptsAndClear) {
  int64_t alice = AddUser("alice");
  int64_t lib = AddLibrary(alice, "/p");
  FileFailure failure{lib, "bad.jpg", 10, 20, "corrupt: truncated", 0};
  EXPECT_EQ(*catalog_->RecordFailure(failure), 1);
  EXPECT_EQ(*catalog_->RecordFailure(failure), 2);
  EXPECT_EQ(*catalog_->RecordFailure(failure), 3);
  auto all = catalog_->Failures(lib);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].attempts, 3);
  EXPECT_EQ((*all)[0].reason, "corrupt: truncated");
  failure.mtime_ns = 21;  // the file changed: a new case
  EXPECT_EQ(*catalog_->RecordFailure(failure), 1);
  ASSERT_TRUE(catalog_->ClearFailure(lib, "bad.jpg").ok());
  EXPECT_TRUE(catalog_->Failures(lib)->empty());
  EXPECT_FALSE(catalog_->FindFailure(lib, "bad.jpg")->has_value());
}

TEST_F(CatalogTest, VariantsReplaceByKindAndStaleRecipesAreFound) {
  int64_t alice = AddUser("alice");
  int64_t p1 = AddPhoto(alice, 1);
  int64_t p2 = AddPhoto(alice, 2);
  ASSERT_TRUE(catalog_->RecordVariant(Variant{p1, "big", "big v1", 1440, 1080, 1000}).ok());
  ASSERT_TRUE(catalog_->RecordVariant(Variant{p1, "big", "big v2", 1440, 1080, 900}).ok());
  ASSERT_TRUE(catalog_->RecordVariant(Variant{p2, "big", "big v1", 800, 600, 500}).ok());
  ASSERT_TRUE(catalog_->RecordVariant(Variant{p2, "square", "sq v1", 500, 500, 400}).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM variants"), "3");
  auto big = catalog_->FindVariant(p1, "big");
  ASSERT_TRUE(big.ok() && big->has_value());
  EXPECT_EQ((*big)->recipe, "big v2");
  EXPECT_EQ((*big)->bytes, 900);
  auto stale = catalog_->VariantsWithRecipeOtherThan("big", "big v2");
  ASSERT_EQ(stale->size(), 1u);
  EXPECT_EQ((*stale)[0].photo_id, p2);
  EXPECT_TRUE(catalog_->VariantsWithRecipeOtherThan("square", "sq v1")->empty());
  EXPECT_FALSE(catalog_->FindVariant(p1, "square")->has_value());
}

TEST_F(CatalogTest, TransactionRollsBackOnError) {
  Status status = catalog_->InTransaction([&]() -> Status {
    TESSERA_RETURN_IF_ERROR(catalog_->AddUser(User{0, "alice", "", ""}).status());
    return Status::IOError("disk on fire");
  });
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_FALSE(catalog_->FindUserByName("alice")->has_value());

  ASSERT_TRUE(catalog_
                  ->InTransaction([&]() -> Status {
                    TESSERA_RETURN_IF_ERROR(catalog_->AddUser(User{0, "bob", "", ""}).status());
                    // A failed inner transaction undoes only its own part.
                    Status inner = catalog_->InTransaction([&]() -> Status {
                      TESSERA_RETURN_IF_ERROR(catalog_->AddUser(User{0, "carol", "", ""}).status());
                      return Status::Corrupt("no");
                    });
                    EXPECT_FALSE(inner.ok());
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(catalog_->FindUserByName("bob")->has_value());
  EXPECT_FALSE(catalog_->FindUserByName("carol")->has_value());
}

TEST_F(CatalogTest, ConcurrentUpsertsMakeNoDuplicates) {
  int64_t alice = AddUser("alice");
  int64_t lib = AddLibrary(alice, "/p");
  // Two catalogs on one file as well as four threads: in-process and cross-connection races.
  auto second = OpenSqliteCatalog(db_path());
  ASSERT_TRUE(second.ok());
  constexpr int kPhotos = 50;
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> ids(4, std::vector<int64_t>(kPhotos));
  for (int t = 0; t < 4; ++t) {
    Catalog* catalog = t % 2 ? second->get() : catalog_.get();
    threads.emplace_back([&, t, catalog] {
      for (int n = 0; n < kPhotos; ++n) {
        auto id = catalog->UpsertPhoto(alice, HashOf(n), JpegMeta());
        ASSERT_TRUE(id.ok()) << id.status().ToString();
        ids[t][n] = *id;
        ASSERT_TRUE(
            catalog->UpsertFile(PhotoFile{lib, fmt::format("{}.jpg", n), 1, 2, "q", *id, 1}).ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(Query("SELECT count(*) FROM photos"), std::to_string(kPhotos));
  EXPECT_EQ(Query("SELECT count(*) FROM files"), std::to_string(kPhotos));
  for (int t = 1; t < 4; ++t) EXPECT_EQ(ids[t], ids[0]);
}

TEST_F(CatalogTest, SqlInjectionIsStoredLiterally) {
  const std::string evil = "x'); DROP TABLE users; --";
  int64_t id = AddUser(evil);
  int64_t lib = AddLibrary(id, "/p/" + evil);
  int64_t photo = AddPhoto(id, 1);
  ASSERT_TRUE(catalog_->UpsertFile(PhotoFile{lib, evil + "\".jpg", 1, 2, "q", photo, 1}).ok());
  EXPECT_EQ((*catalog_->FindUserByName(evil))->name, evil);
  EXPECT_EQ((*catalog_->Libraries(id))[0].root, "/p/" + evil);
  EXPECT_TRUE(catalog_->FindFile(lib, evil + "\".jpg")->has_value());
  EXPECT_FALSE(catalog_->FindUserByName("' OR '1'='1")->has_value());
  EXPECT_EQ(Query("SELECT count(*) FROM users"), "1");
}

}  // namespace
}  // namespace tessera::library
