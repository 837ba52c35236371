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
    if (Stopped()) return;
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

TESSERA_CATALOG_BACKENDS(CatalogVisibilityTest);

TEST_P(CatalogVisibilityTest, PrivatePhoto) {
  EXPECT_TRUE(Sees(owner_));
  EXPECT_TRUE(Sees(friend_));
  EXPECT_FALSE(Sees(stranger_));
  EXPECT_FALSE(Sees(std::nullopt));
}

TEST_P(CatalogVisibilityTest, PublicPhoto) {
  ASSERT_TRUE(catalog_->SetPublic(photo_, true).ok());
  EXPECT_TRUE(Sees(owner_));
  EXPECT_TRUE(Sees(friend_));
  EXPECT_TRUE(Sees(stranger_));
  EXPECT_TRUE(Sees(std::nullopt));
  ASSERT_TRUE(catalog_->SetPublic(photo_, false).ok());
  EXPECT_FALSE(Sees(std::nullopt));
  EXPECT_EQ(catalog_->SetPublic(9999, true).code(), StatusCode::kNotFound);
}

TEST_P(CatalogVisibilityTest, OthersPrivatePhotoIsIndistinguishableFromMissing) {
  auto hidden = catalog_->FindPhotoForViewer(HashOf(1), stranger_);
  auto missing = catalog_->FindPhotoForViewer(HashOf(2), stranger_);
  ASSERT_TRUE(hidden.ok() && missing.ok());
  EXPECT_EQ(hidden->has_value(), missing->has_value());
  EXPECT_FALSE(hidden->has_value());
  EXPECT_FALSE(Sees(owner_, 2));
  EXPECT_FALSE(catalog_->FindPhotoForViewer("../../etc/passwd", owner_)->has_value());
}

TEST_P(CatalogVisibilityTest, UnshareRevokes) {
  ASSERT_TRUE(catalog_->Share(photo_, friend_).ok());  // idempotent
  ASSERT_TRUE(catalog_->Unshare(photo_, friend_).ok());
  EXPECT_FALSE(Sees(friend_));
  EXPECT_EQ(catalog_->Share(photo_, 9999).code(), StatusCode::kInvalidArgument);
}

TEST_P(CatalogVisibilityTest, SameHashPrefersTheViewersOwnThenShared) {
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

TEST_P(CatalogVisibilityTest, ListShowsWhatTheViewerMaySee) {
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
  EXPECT_EQ(catalog_->ListPhotos(owner_, 2, 10)->size(), 1u);  // and the public one
  EXPECT_TRUE(catalog_->ListPhotos(owner_, 3, 10)->empty());
  EXPECT_EQ(catalog_->ListPhotos(owner_, -5, 1)->front().id, photo_);
}

// Among several visible copies of one content: own, then shared, then public; the lowest id
// among equals.
TEST_P(CatalogVisibilityTest, PreferenceOrderAmongManyCopies) {
  int64_t other = AddUser("other");
  int64_t public_low = AddPhoto(stranger_, 1);
  int64_t public_high = AddPhoto(other, 1);
  ASSERT_TRUE(catalog_->SetPublic(public_low, true).ok());
  ASSERT_TRUE(catalog_->SetPublic(public_high, true).ok());
  auto anonymous = catalog_->FindPhotoForViewer(HashOf(1), std::nullopt);
  EXPECT_EQ((*anonymous)->id, public_low);
  // The friend has one shared copy (the owner's, lowest id) and now another, public one.
  ASSERT_TRUE(catalog_->Share(public_high, friend_).ok());
  EXPECT_EQ((*catalog_->FindPhotoForViewer(HashOf(1), friend_))->id, photo_);
  ASSERT_TRUE(catalog_->Unshare(photo_, friend_).ok());
  // Shared beats public even when the public copy has the lower id.
  EXPECT_EQ((*catalog_->FindPhotoForViewer(HashOf(1), friend_))->id, public_high);
  int64_t own = AddPhoto(friend_, 1);
  EXPECT_EQ((*catalog_->FindPhotoForViewer(HashOf(1), friend_))->id, own);
  auto listed = catalog_->ListPhotos(friend_, 0, 100);
  ASSERT_EQ(listed->size(), 3u);  // public_low, public_high (shared and public), own
  EXPECT_EQ((*listed)[0].id, public_low);
  EXPECT_EQ((*listed)[2].id, own);
}

}  // namespace
}  // namespace tessera::library
