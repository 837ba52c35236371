// The catalog on both backends: users, files, failures, variants, transactions, concurrency; and
// what only the SQLite file has (WAL, mode 0600, PRAGMA user_version).
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdint>
#include <limits>
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
  int64_t AddLibrary(int64_t owner, const std::string& root) {
    auto id = catalog_->AddLibrary(owner, root);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  PhotoFile File(int64_t library, const std::string& path, int64_t photo, int64_t generation) {
    return PhotoFile{library, path, 100, 1'700'000'000'000'000'000, "abcd", photo, generation};
  }
};

TESSERA_CATALOG_BACKENDS(CatalogTest);

TEST_P(CatalogTest, PersistsAcrossReopen) {
  int64_t alice = AddUser("alice");
  AddPhoto(alice, 1);
  Reopen();
  auto found = catalog_->FindUserByName("alice");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, alice);
  EXPECT_EQ((*found)->first_name, "alice");  // defaults to the name
  EXPECT_TRUE(catalog_->FindPhotoForViewer(HashOf(1), alice)->has_value());
}

TEST_P(CatalogTest, UsersHaveUniqueNamesAndPasswordsCanChange) {
  int64_t alice = AddUser("alice");
  auto again = catalog_->AddUser(User{0, "alice", "", ""});
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog_->AddUser(User{}).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(catalog_->SetPassword(alice, "$argon2id$x").ok());
  EXPECT_EQ((*catalog_->FindUserById(alice))->password_hash, "$argon2id$x");
  EXPECT_EQ(catalog_->SetPassword(999, "h").code(), StatusCode::kNotFound);
  EXPECT_FALSE(catalog_->FindUserById(999)->has_value());
  EXPECT_FALSE(catalog_->FindUserByName("bob")->has_value());
  EXPECT_EQ(CountRows("users"), 1);
}

TEST_P(CatalogTest, LibrariesByOwnerOrAll) {
  int64_t alice = AddUser("alice");
  int64_t bob = AddUser("bob");
  AddLibrary(alice, "/photos/alice");
  AddLibrary(alice, "/photos/shared");
  AddLibrary(bob, "/photos/bob");
  EXPECT_EQ(catalog_->Libraries(alice)->size(), 2u);
  EXPECT_EQ(catalog_->Libraries(bob)->size(), 1u);
  auto all = catalog_->Libraries(std::nullopt);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].root, "/photos/bob");  // by id
  EXPECT_EQ((*all)[2].owner_id, bob);
  EXPECT_EQ(catalog_->AddLibrary(12345, "/x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog_->AddLibrary(alice, "/photos/alice").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(CatalogTest, PhotoIdentityIsOwnerAndHash) {
  int64_t alice = AddUser("alice");
  int64_t bob = AddUser("bob");
  int64_t a1 = AddPhoto(alice, 7);
  int64_t a2 = AddPhoto(alice, 7);
  int64_t b1 = AddPhoto(bob, 7);
  EXPECT_EQ(a1, a2);
  EXPECT_NE(a1, b1);
  EXPECT_EQ(CountRows("photos"), 2);
  EXPECT_EQ(catalog_->UpsertPhoto(alice, "not-a-hash", JpegMeta()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog_->UpsertPhoto(alice, std::string(64, 'A'), JpegMeta()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(CatalogTest, UpsertPhotoUpdatesMetadataAndKeepsSharing) {
  int64_t alice = AddUser("alice");
  int64_t bob = AddUser("bob");
  int64_t photo = AddPhoto(alice, 1);
  ASSERT_TRUE(catalog_->Share(photo, bob).ok());
  ASSERT_TRUE(catalog_->SetPublic(photo, true).ok());
  PhotoMeta meta{"video/mp4", 1920, 1080, int64_t{5} << 40, 12.345, "newph", -86400};
  auto again = catalog_->UpsertPhoto(alice, HashOf(1), meta);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, photo);
  auto found = catalog_->FindPhotoForViewer(HashOf(1), bob);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_TRUE((*found)->is_public);
  EXPECT_EQ((*found)->owner_id, alice);
  EXPECT_EQ((*found)->meta.mime_type, "video/mp4");
  EXPECT_EQ((*found)->meta.width, 1920);
  EXPECT_EQ((*found)->meta.height, 1080);
  EXPECT_EQ((*found)->meta.size, int64_t{5} << 40);
  EXPECT_DOUBLE_EQ((*found)->meta.duration_seconds, 12.345);
  EXPECT_EQ((*found)->meta.placeholder, "newph");
  EXPECT_EQ((*found)->meta.taken_at, -86400);  // before the epoch
  EXPECT_EQ(catalog_->UpsertPhoto(9999, HashOf(2), JpegMeta()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(CatalogTest, RenameKeepsThePhoto) {
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
  EXPECT_TRUE(catalog_->RenameFile(lib, "b/y.jpg", "b/y.jpg").ok());
}

TEST_P(CatalogTest, RenameReplacesTheRowAtTheTarget) {
  int64_t alice = AddUser("alice");
  int64_t lib = AddLibrary(alice, "/p");
  int64_t moved = AddPhoto(alice, 1);
  int64_t replaced = AddPhoto(alice, 2);
  ASSERT_TRUE(catalog_->UpsertFile(File(lib, "new.jpg", moved, 1)).ok());
  ASSERT_TRUE(catalog_->UpsertFile(File(lib, "old.jpg", replaced, 1)).ok());
  ASSERT_TRUE(catalog_->RenameFile(lib, "new.jpg", "old.jpg").ok());
  EXPECT_EQ(CountRows("files"), 1);
  EXPECT_EQ((*catalog_->FindFile(lib, "old.jpg"))->photo_id, moved);
  EXPECT_TRUE(catalog_->FilesOfPhoto(replaced)->empty());
}

TEST_P(CatalogTest, FilesOfPhotoListsEveryCopy) {
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

// A file name is any bytes but '/' and NUL: not necessarily UTF-8. Both backends keep them
// exactly and sort them bytewise (so "B" before "a", and both before UTF-8's "é").
TEST_P(CatalogTest, PathsAreKeptAndSortedByteForByte) {
  int64_t alice = AddUser("alice");
  const std::string latin1 = "caf\xe9.jpg";  // ISO 8859-1: invalid UTF-8
  int64_t lib = AddLibrary(alice, "/photos/\xff");
  int64_t photo = AddPhoto(alice, 1);
  for (const std::string& path : {std::string("a.jpg"), std::string("\xc3\xa9.jpg"),
                                  std::string("B.jpg"), latin1, std::string("line\nbreak.jpg")}) {
    ASSERT_TRUE(catalog_->UpsertFile(File(lib, path, photo, 1)).ok()) << path;
  }
  EXPECT_EQ((*catalog_->Libraries(alice))[0].root, "/photos/\xff");
  auto files = catalog_->FilesOfPhoto(photo);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  std::vector<std::string> paths;
  for (const PhotoFile& f : *files) paths.push_back(f.rel_path);
  EXPECT_EQ(paths, (std::vector<std::string>{"B.jpg", "a.jpg", latin1, "line\nbreak.jpg",
                                             "\xc3\xa9.jpg"}));
  auto found = catalog_->FindFile(lib, latin1);
  ASSERT_TRUE(found.ok() && found->has_value()) << found.status().ToString();
  EXPECT_EQ((*found)->rel_path, latin1);
  EXPECT_FALSE(catalog_->FindFile(lib, "caf\xc3\xa9.jpg")->has_value());

  const std::string reason = "corrupt: decode: /photos/" + latin1 + ": truncated";
  ASSERT_TRUE(catalog_->RecordFailure(FileFailure{lib, latin1, 1, 2, reason, 0}).ok());
  EXPECT_EQ((*catalog_->FindFailure(lib, latin1))->reason, reason);
  ASSERT_TRUE(catalog_->EnqueueJob(lib, latin1, 1).ok());
  auto job = catalog_->ClaimJob(lib, "w", 10, 10);
  ASSERT_TRUE(job.ok() && job->has_value());
  EXPECT_EQ((*job)->rel_path, latin1);
}

TEST_P(CatalogTest, NumbersKeepTheirFullRange) {
  int64_t alice = AddUser("alice");
  int64_t lib = AddLibrary(alice, "/p");
  int64_t photo = AddPhoto(alice, 1);
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  ASSERT_TRUE(catalog_->UpsertFile(PhotoFile{lib, "x.jpg", kMax, kMin, "q", photo, kMax}).ok());
  auto file = catalog_->FindFile(lib, "x.jpg");
  ASSERT_TRUE(file.ok() && file->has_value());
  EXPECT_EQ((*file)->size, kMax);
  EXPECT_EQ((*file)->mtime_ns, kMin);
  EXPECT_EQ((*file)->seen_generation, kMax);
  ASSERT_TRUE(catalog_->RecordVariant(Variant{photo, "big", "r", 65535, 1, kMax}).ok());
  EXPECT_EQ((*catalog_->FindVariant(photo, "big"))->bytes, kMax);
  ASSERT_TRUE(catalog_->RevokeToken("t", kMax).ok());
  EXPECT_EQ(*catalog_->PurgeRevokedTokens(kMax), 0);
  EXPECT_EQ(*catalog_->PurgeRevokedTokens(kMin), 0);
}

TEST_P(CatalogTest, FileMustBelongToThePhotosOwner) {
  int64_t alice = AddUser("alice");
  int64_t bob = AddUser("bob");
  int64_t lib = AddLibrary(alice, "/p");
  int64_t bobs = AddPhoto(bob, 1);
  EXPECT_EQ(catalog_->UpsertFile(File(lib, "x.jpg", bobs, 1)).code(), StatusCode::kInvalidArgument);
  // Nor may an existing row be pointed at someone else's photo.
  int64_t alices = AddPhoto(alice, 2);
  ASSERT_TRUE(catalog_->UpsertFile(File(lib, "x.jpg", alices, 1)).ok());
  EXPECT_EQ(catalog_->UpsertFile(File(lib, "x.jpg", bobs, 2)).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*catalog_->FindFile(lib, "x.jpg"))->photo_id, alices);
  EXPECT_EQ(catalog_->UpsertFile(File(9999, "y.jpg", alices, 1)).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog_->UpsertFile(File(lib, "y.jpg", 9999, 1)).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CountRows("files"), 1);
}

TEST_P(CatalogTest, RescanGenerationRemovesDeletedFiles) {
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
  // The photo stays, without files.
  ASSERT_TRUE(catalog_->RemoveFilesNotSeen(lib, 3).ok());
  EXPECT_TRUE(catalog_->FindPhotoForViewer(HashOf(1), alice)->has_value());
}

TEST_P(CatalogTest, FailuresCountAttemptsAndClear) {
  int64_t alice = AddUser("alice");
  int64_t lib = AddLibrary(alice, "/p");
  FileFailure failure{lib, "bad.jpg", 10, 20, "corrupt: truncated", 0};
  EXPECT_EQ(*catalog_->RecordFailure(failure), 1);
  EXPECT_EQ(*catalog_->RecordFailure(failure), 2);
  failure.reason = "corrupt: still truncated";
  EXPECT_EQ(*catalog_->RecordFailure(failure), 3);
  ASSERT_TRUE(catalog_->RecordFailure(FileFailure{lib, "Another.jpg", 1, 1, "x", 0}).ok());
  auto all = catalog_->Failures(lib);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].rel_path, "Another.jpg");  // by path
  EXPECT_EQ((*all)[1].attempts, 3);
  EXPECT_EQ((*all)[1].reason, "corrupt: still truncated");
  failure.mtime_ns = 21;  // the file changed: a new case
  EXPECT_EQ(*catalog_->RecordFailure(failure), 1);
  EXPECT_EQ((*catalog_->FindFailure(lib, "bad.jpg"))->mtime_ns, 21);
  failure.size = 11;
  EXPECT_EQ(*catalog_->RecordFailure(failure), 1);
  ASSERT_TRUE(catalog_->ClearFailure(lib, "bad.jpg").ok());
  ASSERT_TRUE(catalog_->ClearFailure(lib, "bad.jpg").ok());
  EXPECT_EQ(catalog_->Failures(lib)->size(), 1u);
  EXPECT_FALSE(catalog_->FindFailure(lib, "bad.jpg")->has_value());
  EXPECT_EQ(catalog_->RecordFailure(FileFailure{9999, "x", 1, 1, "x", 0}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(CatalogTest, VariantsReplaceByKindAndStaleRecipesAreFound) {
  int64_t alice = AddUser("alice");
  int64_t p1 = AddPhoto(alice, 1);
  int64_t p2 = AddPhoto(alice, 2);
  ASSERT_TRUE(catalog_->RecordVariant(Variant{p1, "big", "big v1", 1440, 1080, 1000}).ok());
  ASSERT_TRUE(catalog_->RecordVariant(Variant{p1, "big", "big v2", 1440, 1080, 900}).ok());
  ASSERT_TRUE(catalog_->RecordVariant(Variant{p2, "big", "big v1", 800, 600, 500}).ok());
  ASSERT_TRUE(catalog_->RecordVariant(Variant{p2, "square", "sq v1", 500, 500, 400}).ok());
  EXPECT_EQ(CountRows("variants"), 3);
  auto big = catalog_->FindVariant(p1, "big");
  ASSERT_TRUE(big.ok() && big->has_value());
  EXPECT_EQ((*big)->recipe, "big v2");
  EXPECT_EQ((*big)->bytes, 900);
  auto stale = catalog_->VariantsWithRecipeOtherThan("big", "big v2");
  ASSERT_EQ(stale->size(), 1u);
  EXPECT_EQ((*stale)[0].photo_id, p2);
  EXPECT_EQ((*stale)[0].width, 800);
  EXPECT_EQ(catalog_->VariantsWithRecipeOtherThan("big", "big v3")->size(), 2u);
  EXPECT_TRUE(catalog_->VariantsWithRecipeOtherThan("square", "sq v1")->empty());
  EXPECT_FALSE(catalog_->FindVariant(p1, "square")->has_value());
  EXPECT_EQ(catalog_->RecordVariant(Variant{9999, "big", "v", 1, 1, 1}).code(),
            StatusCode::kInvalidArgument);
}

TEST_P(CatalogTest, TransactionRollsBackOnError) {
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
                    // A later inner one commits with the outer one.
                    return catalog_->InTransaction([&]() -> Status {
                      return catalog_->AddUser(User{0, "dave", "", ""}).status();
                    });
                  })
                  .ok());
  EXPECT_TRUE(catalog_->FindUserByName("bob")->has_value());
  EXPECT_FALSE(catalog_->FindUserByName("carol")->has_value());
  EXPECT_TRUE(catalog_->FindUserByName("dave")->has_value());
}

// A refused call changes nothing and leaves the transaction usable, as a failed statement does in
// SQLite: the body may handle it and go on.
TEST_P(CatalogTest, ARefusedCallInsideATransactionLeavesTheRestToCommit) {
  int64_t alice = AddUser("alice");
  int64_t bob = AddUser("bob");
  int64_t bobs = AddPhoto(bob, 1);
  int64_t lib = 0;
  ASSERT_TRUE(catalog_
                  ->InTransaction([&]() -> Status {
                    EXPECT_EQ(catalog_->AddUser(User{0, "alice", "", ""}).status().code(),
                              StatusCode::kInvalidArgument);
                    TESSERA_ASSIGN_OR_RETURN(lib, catalog_->AddLibrary(alice, "/p"));
                    EXPECT_EQ(catalog_->AddLibrary(9999, "/q").status().code(),
                              StatusCode::kInvalidArgument);
                    EXPECT_EQ(catalog_->UpsertFile(File(lib, "x.jpg", bobs, 1)).code(),
                              StatusCode::kInvalidArgument);
                    EXPECT_EQ(catalog_->Share(9999, bob).code(), StatusCode::kInvalidArgument);
                    EXPECT_EQ(catalog_->EnqueueJob(9999, "x", 1).code(), StatusCode::kInvalidArgument);
                    EXPECT_EQ(catalog_->SetPassword(9999, "x").code(), StatusCode::kNotFound);
                    EXPECT_FALSE(catalog_->ReplaceFaces(bobs, {Face{bobs, 0}, Face{bobs, 0}}).ok());
                    return catalog_->AddUser(User{0, "carol", "", ""}).status();
                  })
                  .ok());
  EXPECT_TRUE(catalog_->FindUserByName("carol")->has_value());
  EXPECT_EQ(catalog_->Libraries(alice)->size(), 1u);
  EXPECT_EQ(CountRows("files"), 0);
}

TEST_P(CatalogTest, ConcurrentUpsertsMakeNoDuplicates) {
  int64_t alice = AddUser("alice");
  int64_t lib = AddLibrary(alice, "/p");
  // Two catalogs on one store as well as four threads: in-process and cross-connection races.
  auto second = store_->Open();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
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
  EXPECT_EQ(CountRows("photos"), kPhotos);
  EXPECT_EQ(CountRows("files"), kPhotos);
  for (int t = 1; t < 4; ++t) EXPECT_EQ(ids[t], ids[0]);
}

TEST_P(CatalogTest, SqlInjectionIsStoredLiterally) {
  const std::string evil = "x'); DROP TABLE users; --";
  int64_t id = AddUser(evil);
  int64_t lib = AddLibrary(id, "/p/" + evil);
  int64_t photo = AddPhoto(id, 1);
  ASSERT_TRUE(catalog_->UpsertFile(PhotoFile{lib, evil + "\".jpg", 1, 2, "q", photo, 1}).ok());
  EXPECT_EQ((*catalog_->FindUserByName(evil))->name, evil);
  EXPECT_EQ((*catalog_->Libraries(id))[0].root, "/p/" + evil);
  EXPECT_TRUE(catalog_->FindFile(lib, evil + "\".jpg")->has_value());
  EXPECT_FALSE(catalog_->FindUserByName("' OR '1'='1")->has_value());
  EXPECT_EQ(CountRows("users"), 1);
}

// What only the SQLite file has.
class SqliteCatalogTest : public ::testing::Test {
 protected:
  // A single-value query on a separate raw connection, to see what is really on disk.
  std::string Query(const char* sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(store_.path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
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

  testing::SqliteStore store_;
};

TEST_F(SqliteCatalogTest, CreatesSchemaWalAndPrivateFile) {
  auto catalog = store_.Open();
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  ASSERT_TRUE((*catalog)->AddUser(User{0, "alice", "", ""}).ok());
  // SQLite gives the write-ahead log the database file's mode.
  EXPECT_EQ(tessera::testing::Stat(store_.path() + "-wal").st_mode & 0777, 0600);
  EXPECT_EQ(Query("PRAGMA user_version"), std::to_string(kCatalogSchemaVersion));
  EXPECT_EQ(Query("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(tessera::testing::Stat(store_.path()).st_mode & 0777, 0600);
}

TEST_F(SqliteCatalogTest, RefusesACatalogFromANewerVersion) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(store_.path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto opened = store_.Open();
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace tessera::library
