// A small media library for the route and server tests: a real SQLite catalog and media store
// in a temp folder, three users, photos with every kind of visibility, stored variants and
// originals. For tests only.
#ifndef TESSERA_SERVER_ROUTES_TEST_UTIL_H_
#define TESSERA_SERVER_ROUTES_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "src/core/test_fs.h"
#include "src/library/catalog.h"
#include "src/library/catalog_test_util.h"
#include "src/library/media_store.h"
#include "src/library/passwords.h"
#include "src/library/sqlite_catalog.h"
#include "src/server/routes.h"
#include "src/server/tokens.h"

namespace tessera::server::testing {

inline const std::string kSecret(64, 'k');
inline constexpr char kAlicePassword[] = "correct horse";

// alice owns kPrivate, kShared (shared with bob) and kPublic; bob owns kBobs; carol owns
// nothing. Every photo has a square (JPEG) and a big (WebP) variant and an original file.
class MediaLibraryFixture : public ::testing::Test {
 protected:
  enum Photo { kPrivate = 1, kShared = 2, kPublic = 3, kBobs = 4, kMissing = 99 };

  void SetUp() override {
    auto opened = library::OpenSqliteCatalog(dir_ / "catalog.db");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    catalog_ = std::move(opened).value();
    auto hash = library::HashPassword(kAlicePassword, library::kTestPasswordCost);
    ASSERT_TRUE(hash.ok());
    alice_ = *catalog_->AddUser(library::User{0, "alice", "Alice", *hash});
    bob_ = *catalog_->AddUser(library::User{0, "bob", "", ""});
    carol_ = *catalog_->AddUser(library::User{0, "carol", "", ""});
    for (int n : {kPrivate, kShared, kPublic}) AddPhoto(alice_, n);
    AddPhoto(bob_, kBobs);
    ASSERT_TRUE(catalog_->Share(photo_ids_[kShared], bob_).ok());
    ASSERT_TRUE(catalog_->SetPublic(photo_ids_[kPublic], true).ok());
    RouterOptions options;
    options.clock = [this] { return now_; };
    options.cache_ttl_ms = 0;  // every request reads the catalog (CachingRouterTest covers caching)
    options.dummy_password_cost = library::kTestPasswordCost;
    options.locate_original =
        [this](const library::Photo& photo) -> Result<std::optional<std::string>> {
      auto it = originals_.find(photo.id);
      if (it == originals_.end()) return std::optional<std::string>();
      return std::optional<std::string>(it->second);
    };
    router_ = std::make_unique<Router>(*catalog_, store_, tokens_, std::move(options));
  }

  static std::string Hash(int n) { return library::testing::HashOf(n); }
  static std::string SquareBytes(int n) { return "square jpeg of " + std::to_string(n); }
  static std::string FaceBytes(int n) { return "face jpeg of " + std::to_string(n); }
  static std::string BigBytes(int n) { return "big webp of " + std::to_string(n); }
  static std::string OriginalBytes(int n) {
    std::string bytes;
    for (int i = 0; i < 1000; ++i) bytes += static_cast<char>('a' + (i + n) % 26);
    return bytes;
  }

  void AddPhoto(int64_t owner, int n) {
    auto id = catalog_->UpsertPhoto(owner, Hash(n), library::testing::JpegMeta());
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    photo_ids_[n] = *id;
    ASSERT_TRUE(catalog_
                    ->RecordVariant({*id, "square_thumbnails", "square_thumbnails crop 500 jpg q85",
                                     500, 500, 1})
                    .ok());
    ASSERT_TRUE(catalog_
                    ->RecordVariant({*id, "thumbnails_big", "thumbnails_big fit 4096x1080 webp q80",
                                     800, 600, 1})
                    .ok());
    ASSERT_TRUE(catalog_
                    ->RecordVariant({*id, "small_square_thumbnails",
                                     "small_square_thumbnails crop 250 jpg q80", 250, 250, 1})
                    .ok());
    ASSERT_TRUE(catalog_->ReplaceFaces(*id, {{*id, 0, 10, 20, 30, 40, 1.0}}).ok());
    ASSERT_TRUE(store_.Put("square_thumbnails", Hash(n), "jpg", SquareBytes(n)).ok());
    ASSERT_TRUE(
        store_.Put("small_square_thumbnails", Hash(n), "jpg", "small " + SquareBytes(n)).ok());
    ASSERT_TRUE(store_.Put("faces", library::FaceName(Hash(n), 0), "jpg", FaceBytes(n)).ok());
    ASSERT_TRUE(store_.Put("thumbnails_big", Hash(n), "webp", BigBytes(n)).ok());
    originals_[*id] = dir_ / ("originals/" + std::to_string(n) + ".jpg");
    tessera::testing::WriteFile(originals_[*id], OriginalBytes(n));
  }

  std::string AccessFor(int64_t user) { return *tokens_.Issue(user, TokenType::kAccess, 300); }

  int64_t now_ = 1'800'000'000;
  tessera::testing::TempDir dir_;
  std::unique_ptr<library::Catalog> catalog_;
  library::MediaStore store_{dir_.path()};
  TokenService tokens_{kSecret, [this] { return now_; }};
  std::unique_ptr<Router> router_;
  int64_t alice_ = 0, bob_ = 0, carol_ = 0;
  std::map<int, int64_t> photo_ids_;
  std::map<int64_t, std::string> originals_;
};

}  // namespace tessera::server::testing

#endif  // TESSERA_SERVER_ROUTES_TEST_UTIL_H_
