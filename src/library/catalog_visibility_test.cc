// Who may see a photo: its owner, users it is shared with, anyone when public. Someone else's
// private photo must look exactly like a hash that does not exist.
#include "src/library/catalog_test_util.h"

namespace tessera::library {
namespace {

using testing::CatalogFixture;
using testing::HashOf;

class CatalogVisibilityTest : public CatalogFixture {
 protected:
  void SetUp() override {
    CatalogFixture::SetUp();
    owner_ = AddUser("owner");
    friend_ = AddUser("friend");
    stranger_ = AddUser("stranger");
    photo_ = AddPhoto(owner_, 1);
    ASSERT_TRUE(catalog_->Share(photo_, friend_).ok());
  }

  bool Sees(Viewer viewer, int n = 1) {
    auto found = catalog_->FindPhotoForViewer(HashOf(n), viewer);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() && found->has_value();
  }

  int64_t owner_ = 0, friend_ = 0, stranger_ = 0, photo_ = 0;
};

TEST_F(CatalogVisibilityTest, PrivatePhoto) {
  EXPECT_TRUE(Sees(owner_));
  EXPECT_TRUE(Sees(friend_));
  EXPECT_FALSE(Sees(stranger_));
  EXPECT_FALSE(Sees(std::nullopt));
}

TEST_F(CatalogVisibilityTest, PublicPhoto) {
  ASSERT_TRUE(catalog_->SetPublic(photo_, true).ok());
  EXPECT_TRUE(Sees(owner_));
  EXPECT_TRUE(Sees(friend_));
  EXPECT_TRUE(Sees(stranger_));
  EXPECT_TRUE(Sees(std::nullopt));
  ASSERT_TRUE(catalog_->SetPublic(photo_, false).ok());
  EXPECT_FALSE(Sees(std::nullopt));
  EXPECT_EQ(catalog_->SetPublic(9999, true).code(), StatusCode::kNotFound);
}

TEST_F(CatalogVisibilityTest, OthersPrivatePhotoIsIndistinguishableFromMissing) {
  auto hidden = catalog_->FindPhotoForViewer(HashOf(1), stranger_);
  auto missing = catalog_->FindPhotoForViewer(HashOf(2), stranger_);
  ASSERT_TRUE(hidden.ok() && missing.ok());
  EXPECT_EQ(hidden->has_value(), missing->has_value());
  EXPECT_FALSE(hidden->has_value());
  EXPECT_FALSE(Sees(owner_, 2));
  EXPECT_FALSE(catalog_->FindPhotoForViewer("../../etc/passwd", owner_)->has_value());
}

TEST_F(CatalogVisibilityTest, UnshareRevokes) {
  ASSERT_TRUE(catalog_->Share(photo_, friend_).ok());  // idempotent
  ASSERT_TRUE(catalog_->Unshare(photo_, friend_).ok());
  EXPECT_FALSE(Sees(friend_));
  EXPECT_EQ(catalog_->Share(photo_, 9999).code(), StatusCode::kInvalidArgument);
}

TEST_F(CatalogVisibilityTest, SameHashPrefersTheViewersOwnThenShared) {
  int64_t strangers = AddPhoto(stranger_, 1);  // the same content, another owner
  auto own = catalog_->FindPhotoForViewer(HashOf(1), stranger_);
  ASSERT_TRUE(own.ok() && own->has_value());
  EXPECT_EQ((*own)->id, strangers);
  auto for_owner = catalog_->FindPhotoForViewer(HashOf(1), owner_);
  EXPECT_EQ((*for_owner)->id, photo_);
  // The friend sees the one shared with them, even when the stranger's copy is public.
  ASSERT_TRUE(catalog_->SetPublic(strangers, true).ok());
  auto for_friend = catalog_->FindPhotoForViewer(HashOf(1), friend_);
  EXPECT_EQ((*for_friend)->id, photo_);
  // Anonymous gets the public copy, never the private one.
  auto anonymous = catalog_->FindPhotoForViewer(HashOf(1), std::nullopt);
  EXPECT_EQ((*anonymous)->id, strangers);
}

TEST_F(CatalogVisibilityTest, ListShowsWhatTheViewerMaySee) {
  int64_t second = AddPhoto(owner_, 2);
  int64_t strangers = AddPhoto(stranger_, 3);
  EXPECT_EQ(catalog_->ListPhotos(owner_, 0, 100)->size(), 2u);
  EXPECT_EQ(catalog_->ListPhotos(friend_, 0, 100)->size(), 1u);
  EXPECT_EQ(catalog_->ListPhotos(stranger_, 0, 100)->size(), 1u);
  EXPECT_TRUE(catalog_->ListPhotos(std::nullopt, 0, 100)->empty());
  ASSERT_TRUE(catalog_->SetPublic(strangers, true).ok());
  auto anonymous = catalog_->ListPhotos(std::nullopt, 0, 100);
  ASSERT_EQ(anonymous->size(), 1u);
  EXPECT_EQ((*anonymous)[0].id, strangers);
  auto page = catalog_->ListPhotos(owner_, 1, 1);  // paging, ordered by id
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, second);
  EXPECT_EQ((*page)[0].meta.mime_type, "image/jpeg");
}

}  // namespace
}  // namespace tessera::library
