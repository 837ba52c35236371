// Variant recipes and their generation from real corpus files.
#include "src/library/variants.h"

#include <glib.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "src/library/content_hash.h"
#include "src/placeholder/thumbhash.h"

namespace tessera::library {
namespace {

using ::tessera::testing::CorpusPath;
using ::tessera::testing::TempDir;

TEST(VariantsTest, DefaultRecipesNameEveryChoice) {
  std::vector<VariantSpec> specs = DefaultVariants();
  ASSERT_EQ(specs.size(), 3u);
  EXPECT_EQ(Recipe(specs[0]), "thumbnails_big fit 4096x1080 jpg q85 tessera " TESSERA_VERSION);
  EXPECT_EQ(Recipe(specs[1]), "square_thumbnails crop 500x500 jpg q85 tessera " TESSERA_VERSION);
  EXPECT_EQ(Recipe(specs[2]),
            "small_square_thumbnails crop 250x250 jpg q80 tessera " TESSERA_VERSION);
  VariantSpec webp = specs[0];
  webp.format = "webp";
  webp.quality = 70;
  EXPECT_NE(Recipe(webp), Recipe(specs[0]));
}

class VariantsGenerateTest : public ::testing::Test {
 protected:
  TempDir dir_;
  MediaStore store_{dir_.path()};
  Engine engine_;
};

TEST_F(VariantsGenerateTest, OneDecodeGivesEveryVariantStored) {
  const std::string file = "orientation/orientation-6.jpg";
  TESSERA_REQUIRE_CORPUS_FILE(file);
  auto hash = ContentHash(CorpusPath(file));
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  auto made = GenerateVariants(engine_, CorpusPath(file), *hash, DefaultVariants(), store_);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->probe.mime_type, "image/jpeg");
  EXPECT_EQ(made->probe.orientation, 6);
  const int ow = made->probe.OrientedWidth();
  const int oh = made->probe.OrientedHeight();
  ASSERT_EQ(made->variants.size(), 3u);
  const GeneratedVariant& big = made->variants[0];
  EXPECT_LE(big.width, 4096);
  EXPECT_LE(big.height, 1080);
  EXPECT_TRUE(big.width == std::min(ow, 4096) || big.height == std::min(oh, 1080));
  EXPECT_EQ(made->variants[1].width, std::min({ow, oh, 500}));
  EXPECT_EQ(made->variants[1].height, std::min({ow, oh, 500}));
  EXPECT_EQ(made->variants[2].width, std::min({ow, oh, 250}));
  EXPECT_EQ(made->variants[2].height, std::min({ow, oh, 250}));
  for (size_t i = 0; i < 3; ++i) {
    const GeneratedVariant& v = made->variants[i];
    EXPECT_EQ(v.recipe, Recipe(DefaultVariants()[i]));
    auto bytes = store_.Get(v.kind, *hash, "jpg");
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    EXPECT_EQ(static_cast<int64_t>(bytes->size()), v.bytes);
    EXPECT_EQ(bytes->substr(0, 3), std::string("\xff\xd8\xff"));
  }
  PhotoMeta meta = PhotoMetaFromProbe(made->probe, 1234);
  EXPECT_EQ(meta.width, ow);
  EXPECT_EQ(meta.height, oh);
  EXPECT_EQ(meta.size, 1234);
}

TEST_F(VariantsGenerateTest, ThePlaceholderIsTheThumbHashOfTheUprightPictureFittedIn100) {
  // Made from the engine's 100x100 fit of the same decode (not from another pass over the big
  // thumbnail): upright and in sRGB like the variants, in the photo's displayed shape.
  const std::string file = "orientation/orientation-6.jpg";
  TESSERA_REQUIRE_CORPUS_FILE(file);
  auto hash = ContentHash(CorpusPath(file));
  ASSERT_TRUE(hash.ok());
  auto made = GenerateVariants(engine_, CorpusPath(file), *hash, DefaultVariants(), store_);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_FALSE(made->placeholder.empty());

  auto small = engine_.Thumbnail(CorpusPath(file), {Target{100, 100}});
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  const Image& fitted = small->images[0];
  EXPECT_EQ(fitted.width, 100);  // 1200x800 upright
  EXPECT_EQ(fitted.height, 67);
  auto expected = placeholder::ThumbHashFromRgba(fitted.width, fitted.height, fitted.rgba.data());
  ASSERT_TRUE(expected.ok());
  // The cascade derives the 100 px image from the 250 px square's uncropped source, a direct
  // thumbnail from the decode: the same picture, within resampling noise, hence the same hash
  // or one differing in a few 4-bit terms. The shape and average colour must agree exactly.
  gsize length = 0;
  guchar* raw = g_base64_decode(made->placeholder.c_str(), &length);
  const std::vector<uint8_t> got(raw, raw + length);
  g_free(raw);
  ASSERT_EQ(got.size(), expected->size());
  EXPECT_EQ(got[3] & 7, (*expected)[3] & 7);    // luminance terms on the short side
  EXPECT_EQ(got[4] >> 7, (*expected)[4] >> 7);  // landscape flag
  EXPECT_EQ(got[0] & 63, (*expected)[0] & 63);  // average luminance
  int differing = 0;
  for (size_t i = 5; i < got.size(); ++i) differing += got[i] != (*expected)[i];
  EXPECT_LE(differing, 4) << made->placeholder;
  auto decoded = placeholder::ThumbHashToRgba(got);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_GT(decoded->width, decoded->height);
}

TEST_F(VariantsGenerateTest, WebpAndVideo) {
  const std::string file = "video/real-h264-320x240__imageio__realshort.mp4";
  TESSERA_REQUIRE_CORPUS_FILE(file);
  auto hash = ContentHash(CorpusPath(file));
  ASSERT_TRUE(hash.ok());
  VariantSpec spec{"square_thumbnails", Target::CroppedSquare(500), "webp", 75};
  auto made = GenerateVariants(engine_, CorpusPath(file), *hash, {spec}, store_);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_GT(made->probe.duration_seconds, 0);
  ASSERT_EQ(made->variants.size(), 1u);
  // A true square, never upscaled: the 320x240 frame gives 240x240.
  EXPECT_EQ(made->variants[0].width, 240);
  EXPECT_EQ(made->variants[0].height, 240);
  auto bytes = store_.Get("square_thumbnails", *hash, "webp");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->substr(0, 4), "RIFF");
  // A still of a video says so in its recipe.
  EXPECT_EQ(made->variants[0].recipe, VideoRecipe(spec));
  EXPECT_EQ(made->variants[0].recipe, Recipe(spec) + " video");
}

TEST_F(VariantsGenerateTest, VideoSquareIsAClipAndTheOthersAreStills) {
  const std::string file = "video/real-h264-320x240__imageio__realshort.mp4";
  TESSERA_REQUIRE_CORPUS_FILE(file);
  auto hash = ContentHash(CorpusPath(file));
  ASSERT_TRUE(hash.ok());
  const std::vector<VariantSpec> specs = DefaultVariants();
  auto made = GenerateVariants(engine_, CorpusPath(file), *hash, specs, store_);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_EQ(made->variants.size(), 3u);
  const GeneratedVariant& square = made->variants[1];
  EXPECT_EQ(square.format, "mp4");
  EXPECT_EQ(square.recipe, VideoRecipe(specs[1]));
  EXPECT_NE(square.recipe.find(" clip 500x500 mp4 3s 25fps crf28 veryfast "), std::string::npos)
      << square.recipe;
  EXPECT_EQ(square.width, 240);  // as large as the still square: never upscaled
  EXPECT_EQ(square.height, 240);
  auto clip = store_.Get("square_thumbnails", *hash, "mp4");
  ASSERT_TRUE(clip.ok()) << clip.status().ToString();
  EXPECT_EQ(static_cast<int64_t>(clip->size()), square.bytes);
  EXPECT_EQ(clip->substr(4, 4), "ftyp");
  EXPECT_FALSE(store_.Exists("square_thumbnails", *hash, "jpg"));
  for (size_t i : {0u, 2u}) {
    EXPECT_EQ(made->variants[i].format, "jpg");
    EXPECT_EQ(made->variants[i].recipe, VideoRecipe(specs[i]));
    EXPECT_TRUE(store_.Exists(specs[i].kind, *hash, "jpg"));
  }
}

TEST_F(VariantsGenerateTest, ClipSettingLeavesPhotosAlone) {
  const std::string file = "photos/kphotoalbum__bar55.jpg";
  TESSERA_REQUIRE_CORPUS_FILE(file);
  auto hash = ContentHash(CorpusPath(file));
  ASSERT_TRUE(hash.ok());
  const std::vector<VariantSpec> specs = DefaultVariants();
  ASSERT_TRUE(specs[1].video_clip.has_value());
  auto made = GenerateVariants(engine_, CorpusPath(file), *hash, specs, store_);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->variants[1].format, "jpg");
  EXPECT_EQ(made->variants[1].recipe, Recipe(specs[1]));
  EXPECT_FALSE(store_.Exists("square_thumbnails", *hash, "mp4"));
}

TEST(VideoRecipeTest, WhatAChangeOfTheVideoSettingTouches) {
  std::vector<VariantSpec> clips = DefaultVariants();
  std::vector<VariantSpec> frames = DefaultVariants();
  ASSERT_TRUE(ApplyVideoSquareSetting(frames, "frame").ok());
  EXPECT_FALSE(frames[1].video_clip.has_value());
  EXPECT_EQ(ApplyVideoSquareSetting(frames, "gif").code(), StatusCode::kInvalidArgument);
  // Photos: the same recipe either way, current under both settings.
  EXPECT_EQ(Recipe(clips[1]), Recipe(frames[1]));
  EXPECT_FALSE(IsVideoRecipe(Recipe(clips[1])));
  EXPECT_TRUE(RecipeIsCurrent(frames[1], Recipe(clips[1])));
  // Videos: the clip and the frame recipes differ, each current only under its own setting.
  const std::string clip = VideoRecipe(clips[1]), frame = VideoRecipe(frames[1]);
  EXPECT_TRUE(IsVideoRecipe(clip));
  EXPECT_TRUE(IsVideoRecipe(frame));
  EXPECT_TRUE(RecipeIsCurrent(clips[1], clip));
  EXPECT_FALSE(RecipeIsCurrent(frames[1], clip));
  EXPECT_TRUE(RecipeIsCurrent(frames[1], frame));
  EXPECT_FALSE(RecipeIsCurrent(clips[1], frame));
  // A still standing in for a clip the video could not give is current until the setting moves.
  EXPECT_TRUE(RecipeIsCurrent(clips[1], clip + " still jpg"));
  EXPECT_FALSE(RecipeIsCurrent(frames[1], clip + " still jpg"));
  // The clip's own settings are part of its recipe; the big thumbnail is untouched by them.
  clips[1].video_clip->seconds = 5;
  EXPECT_FALSE(RecipeIsCurrent(clips[1], clip));
  EXPECT_EQ(VideoRecipe(clips[0]), VideoRecipe(frames[0]));
}

TEST_F(VariantsGenerateTest, BadFileFailsNamingItAndStoresNothing) {
  const std::string file = "bad/truncated-40pct__IMG_20191224_234846.jpg";
  TESSERA_REQUIRE_CORPUS_FILE(file);
  const std::string hash(64, 'a');
  auto made = GenerateVariants(engine_, CorpusPath(file), hash, DefaultVariants(), store_);
  ASSERT_FALSE(made.ok());
  EXPECT_TRUE(made.status().IsPermanentFileFailure()) << made.status().ToString();
  EXPECT_NE(made.status().message().find(CorpusPath(file)), std::string::npos);
  EXPECT_TRUE(::tessera::testing::FilesUnder(dir_.path()).empty());
}

TEST_F(VariantsGenerateTest, UnknownFormatIsRefusedBeforeDecoding) {
  VariantSpec spec{"thumbnails_big", Target{100, 100}, "bmp", 80};
  auto made = GenerateVariants(engine_, "/nonexistent.jpg", std::string(64, 'a'), {spec}, store_);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().code(), StatusCode::kInvalidArgument) << made.status().ToString();
}

TEST(VariantSettingTest, ChangesOnlyTheNamedKindAndItsRecipe) {
  std::vector<VariantSpec> specs = DefaultVariants();
  const std::string big_before = Recipe(specs[0]), square_before = Recipe(specs[1]);
  ASSERT_TRUE(ApplyVariantSetting(specs, "square_thumbnails=webp:70:400x400").ok());
  EXPECT_EQ(specs[1].format, "webp");
  EXPECT_EQ(specs[1].quality, 70);
  EXPECT_EQ(specs[1].target.max_width, 400);
  EXPECT_EQ(specs[1].target.fit, Target::Fit::kCrop);
  EXPECT_NE(Recipe(specs[1]), square_before);
  EXPECT_EQ(Recipe(specs[0]), big_before);
  ASSERT_TRUE(ApplyVariantSetting(specs, "thumbnails_big=jpg").ok());
  EXPECT_EQ(Recipe(specs[0]), big_before);  // same settings, same recipe
  for (const char* bad :
       {"thumbnails_big", "nope=jpg", "thumbnails_big=gif", "thumbnails_big=jpg:0",
        "thumbnails_big=jpg:101", "thumbnails_big=jpg:80:100", "thumbnails_big=jpg:80:8x8",
        "thumbnails_big=jpg:80:100x100:1", "thumbnails_big=jpg:8o"}) {
    EXPECT_EQ(ApplyVariantSetting(specs, bad).code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace tessera::library
