// Variant recipes and their generation from real corpus files.
#include "src/library/variants.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "src/library/content_hash.h"

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
