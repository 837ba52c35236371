// What a catalog of an earlier release becomes when this one opens it: the data migrations,
// run on both backends from the state the previous schema left.
#include <string>
#include <vector>

#include "src/library/catalog_test_util.h"
#include "src/library/variants.h"

namespace tessera::library {
namespace {

using testing::CatalogFixture;
using testing::HashOf;
using testing::JpegMeta;

PhotoMeta VideoMeta() { return PhotoMeta{"video/mp4", 1920, 1080, 5000000, 12.5, "ph"}; }

class CatalogMigrationTest : public CatalogFixture {
 protected:
  void Record(int64_t photo, const VariantSpec& spec, const std::string& recipe) {
    ASSERT_TRUE(catalog_->RecordVariant(Variant{photo, spec.kind, recipe, 500, 500, 1000}).ok());
  }

  std::string RecipeOf(int64_t photo, const std::string& kind) {
    auto v = catalog_->FindVariant(photo, kind);
    EXPECT_TRUE(v.ok() && v->has_value()) << kind;
    return v.ok() && v->has_value() ? (*v)->recipe : "";
  }
};

TEST_P(CatalogMigrationTest, VideosVariantsFromBeforeVideoRecipesAreMarkedAsVideos) {
  if (Stopped()) return;
  const int64_t owner = AddUser("alice");
  auto video = catalog_->UpsertPhoto(owner, HashOf(1), VideoMeta());
  auto photo = catalog_->UpsertPhoto(owner, HashOf(2), JpegMeta());
  auto clip_video = catalog_->UpsertPhoto(owner, HashOf(3), VideoMeta());
  ASSERT_TRUE(video.ok() && photo.ok() && clip_video.ok());
  std::vector<VariantSpec> clips = DefaultVariants();
  ASSERT_TRUE(ApplyVideoSquareSetting(clips, "clip").ok());
  std::vector<VariantSpec> frames = DefaultVariants();
  ASSERT_TRUE(ApplyVideoSquareSetting(frames, "frame").ok());
  // The earlier release wrote one recipe for a video's variants and a photo's.
  for (const VariantSpec& spec : frames) {
    Record(*video, spec, Recipe(spec));
    Record(*photo, spec, Recipe(spec));
  }
  // A video already made with video recipes (a clip square) is left as it is.
  for (const VariantSpec& spec : clips) Record(*clip_video, spec, VideoRecipe(spec));

  catalog_.reset();
  store_->ForgetLastMigration();
  Reopen();
  if (Stopped()) return;

  for (size_t i = 0; i < frames.size(); ++i) {
    const std::string kind = frames[i].kind;
    // The video's variants are video variants of the frame setting: current while squares are
    // frames, and only the square stale once squares are clips.
    const std::string migrated = RecipeOf(*video, kind);
    EXPECT_TRUE(IsVideoRecipe(migrated)) << migrated;
    EXPECT_TRUE(RecipeIsCurrent(frames[i], migrated)) << migrated;
    EXPECT_EQ(RecipeIsCurrent(clips[i], migrated), !clips[i].video_clip.has_value()) << migrated;
    // The photo's stay photo recipes, current under either setting.
    const std::string still = RecipeOf(*photo, kind);
    EXPECT_EQ(still, Recipe(frames[i]));
    EXPECT_TRUE(RecipeIsCurrent(clips[i], still));
    EXPECT_EQ(RecipeOf(*clip_video, kind), VideoRecipe(clips[i]));
  }
  // Opening again changes nothing more.
  Reopen();
  if (Stopped()) return;
  for (const VariantSpec& spec : frames) {
    EXPECT_EQ(RecipeOf(*video, spec.kind), VideoRecipe(spec));
  }
}

TESSERA_CATALOG_BACKENDS(CatalogMigrationTest);

}  // namespace
}  // namespace tessera::library
