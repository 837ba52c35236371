#include "src/decoders/raw.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "src/decoders/raw_geometry.h"
#include "src/pipeline/plan.h"
#include "src/pipeline/resize.h"

namespace tessera::decoders {
namespace {

using testing::CorpusPath;
using vips::VImage;

constexpr char kSyntheticDng[] = "raw/synthetic-bayer-rggb-2400x1600__derived__Storm.dng";

std::string RealDngPath() {
#ifdef TESSERA_SOURCE_DIR
  return TESSERA_SOURCE_DIR "/../shared/corpus/extra/real-canon-eos-6d.dng";
#else
  return "/work/shared/corpus/extra/real-canon-eos-6d.dng";
#endif
}

#define REQUIRE_REAL_DNG()                                          \
  do {                                                              \
    if (!testing::PathExists(RealDngPath())) {                      \
      GTEST_SKIP() << "real camera DNG missing: " << RealDngPath(); \
    }                                                               \
  } while (0)

// As the helper asks: the image must cover the largest target, a box of `edge` pixels.
MinSizeFn Box(int edge) {
  return [edge](const ProbeInfo& up) {
    return pipeline::FitInside(Size{up.width, up.height}, edge, edge);
  };
}

Size SizeOf(const VImage& image) { return Size{image.width(), image.height()}; }

// Both images brought to `size` (lanczos3), then the mean absolute difference per band
// (0..255) and the largest difference of band means.
struct Similarity {
  double mean_abs_diff = 0;
  double max_mean_diff = 0;
};
Similarity Compare(const VImage& a, const VImage& b, Size size = Size{48, 32}) {
  const VImage x = pipeline::ResizeExact(a, size, "lanczos3").cast(VIPS_FORMAT_FLOAT);
  const VImage y = pipeline::ResizeExact(b, size, "lanczos3").cast(VIPS_FORMAT_FLOAT);
  Similarity s;
  s.mean_abs_diff = (x - y).abs().avg();
  for (int band = 0; band < 3; ++band) {
    s.max_mean_diff = std::max(s.max_mean_diff,
                               std::abs(x.extract_band(band).avg() - y.extract_band(band).avg()));
  }
  return s;
}

class RawTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitEngineRuntime().ok()); }

  // Decodes and checks what every decode must satisfy: upright 8-bit sRGB, 3 bands, the aspect
  // of info, covering the minimum, at most twice it (plus rounding) in each direction.
  Decoded DecodeOk(const std::string& path, const std::string& bytes, int edge, RawOptions options,
                   RawDecodeReport* report) {
    Result<Decoded> decoded = DecodeRaw(path, bytes, Box(edge), options, report);
    EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
    if (!decoded.ok()) return Decoded{};
    const VImage& image = decoded->image;
    const ProbeInfo& info = decoded->info;
    EXPECT_EQ(image.bands(), 3);
    EXPECT_EQ(image.format(), VIPS_FORMAT_UCHAR);
    EXPECT_EQ(image.interpretation(), VIPS_INTERPRETATION_sRGB);
    EXPECT_EQ(info.orientation, 1);
    EXPECT_EQ(info.format, "raw");
    EXPECT_LT(AspectMismatch(SizeOf(image), Size{info.width, info.height}), 0.01);
    const Size min = Box(edge)(info);
    EXPECT_TRUE(SizeOf(image).Covers(min))
        << image.width() << "x" << image.height() << " for " << min.width << "x" << min.height;
    EXPECT_LE(image.width(), 2 * min.width + 2);
    return std::move(decoded).value();
  }
};

TEST_F(RawTest, ProbeSyntheticDngReportsUprightSize) {
  TESSERA_REQUIRE_CORPUS_FILE(kSyntheticDng);
  const std::string path = CorpusPath(kSyntheticDng);
  Result<ProbeInfo> info = ProbeRaw(path, testing::ReadFile(path));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->width, 2400);
  EXPECT_EQ(info->height, 1600);
  EXPECT_EQ(info->orientation, 1);
  EXPECT_EQ(info->format, "raw");
  EXPECT_EQ(info->mime_type, "image/x-adobe-dng");
  EXPECT_EQ(info->file_size, testing::ReadFile(path).size());
}

TEST_F(RawTest, SyntheticDngSmallSizeUsesTheBitmapPreview) {
  TESSERA_REQUIRE_CORPUS_FILE(kSyntheticDng);
  const std::string path = CorpusPath(kSyntheticDng);
  const std::string bytes = testing::ReadFile(path);
  RawDecodeReport report;
  const Decoded d = DecodeOk(path, bytes, 128, {}, &report);
  EXPECT_EQ(report.path, RawPath::kPreviewBitmap);
  EXPECT_EQ(report.preview, (Size{256, 171}));
  EXPECT_EQ(SizeOf(d.image), (Size{256, 171}));
  EXPECT_EQ(d.info.width, 2400);
  EXPECT_EQ(d.info.height, 1600);
}

TEST_F(RawTest, SyntheticDngLargerThanThePreviewDemosaicsAtHalfSize) {
  TESSERA_REQUIRE_CORPUS_FILE(kSyntheticDng);
  const std::string path = CorpusPath(kSyntheticDng);
  RawDecodeReport report;
  const Decoded d = DecodeOk(path, testing::ReadFile(path), 512, {}, &report);
  EXPECT_EQ(report.path, RawPath::kDemosaicHalf);
  EXPECT_EQ(report.decoded, (Size{1200, 800}));
  EXPECT_EQ(SizeOf(d.image), (Size{600, 400}));  // shrunk by 2, still covering 512x341
}

TEST_F(RawTest, SyntheticDngFullSizeDemosaic) {
  TESSERA_REQUIRE_CORPUS_FILE(kSyntheticDng);
  const std::string path = CorpusPath(kSyntheticDng);
  RawDecodeReport report;
  const Decoded d = DecodeOk(path, testing::ReadFile(path), 2400, {}, &report);
  EXPECT_EQ(report.path, RawPath::kDemosaic);
  EXPECT_EQ(SizeOf(d.image), (Size{2400, 1600}));
}

TEST_F(RawTest, SyntheticDngPreviewAndDemosaicLookAlike) {
  TESSERA_REQUIRE_CORPUS_FILE(kSyntheticDng);
  const std::string path = CorpusPath(kSyntheticDng);
  const std::string bytes = testing::ReadFile(path);
  RawDecodeReport preview_report, demosaic_report;
  const Decoded preview = DecodeOk(path, bytes, 128, {}, &preview_report);
  const Decoded demosaic =
      DecodeOk(path, bytes, 128, RawOptions{.allow_preview = false}, &demosaic_report);
  EXPECT_EQ(preview_report.path, RawPath::kPreviewBitmap);
  EXPECT_EQ(demosaic_report.path, RawPath::kDemosaicHalf);
  const Similarity s = Compare(preview.image, demosaic.image);
  RecordProperty("mean_abs_diff", std::to_string(s.mean_abs_diff));
  EXPECT_LT(s.max_mean_diff, 12) << "mean colours differ";
  EXPECT_LT(s.mean_abs_diff, 15) << "the images differ";
}

TEST_F(RawTest, ProbeRealDng) {
  REQUIRE_REAL_DNG();
  Result<ProbeInfo> info = ProbeRaw(RealDngPath(), testing::ReadFile(RealDngPath()));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->width, 1224);
  EXPECT_EQ(info->height, 816);
  EXPECT_EQ(info->orientation, 1);
}

TEST_F(RawTest, RealDngSmallSizeUsesTheJpegPreviewAtAScale) {
  REQUIRE_REAL_DNG();
  const std::string bytes = testing::ReadFile(RealDngPath());
  RawDecodeReport report;
  const Decoded d = DecodeOk(RealDngPath(), bytes, 256, {}, &report);
  EXPECT_EQ(report.path, RawPath::kPreviewJpeg);
  EXPECT_EQ(report.preview, (Size{1024, 683}));
  EXPECT_EQ(SizeOf(d.image), (Size{256, 171}));  // libjpeg at 2/8
}

TEST_F(RawTest, RealDngDemosaicsWhenAskedOrWhenThePreviewIsTooSmall) {
  REQUIRE_REAL_DNG();
  const std::string bytes = testing::ReadFile(RealDngPath());
  RawDecodeReport forced, large;
  const Decoded a =
      DecodeOk(RealDngPath(), bytes, 256, RawOptions{.allow_preview = false}, &forced);
  // A linear DNG (already demosaiced by the converter) has no Bayer cells to halve.
  EXPECT_EQ(forced.path, RawPath::kDemosaic);
  EXPECT_EQ(SizeOf(a.image), (Size{306, 204}));  // 1224x816 shrunk by 4
  const Decoded b = DecodeOk(RealDngPath(), bytes, 1100, {}, &large);
  EXPECT_EQ(large.path, RawPath::kDemosaic);
  EXPECT_EQ(large.preview, (Size{1024, 683}));
  EXPECT_EQ(SizeOf(b.image), (Size{1224, 816}));
}

TEST_F(RawTest, RealDngPreviewAndDemosaicLookAlike) {
  REQUIRE_REAL_DNG();
  const std::string bytes = testing::ReadFile(RealDngPath());
  RawDecodeReport r1, r2;
  const Decoded preview = DecodeOk(RealDngPath(), bytes, 256, {}, &r1);
  const Decoded demosaic =
      DecodeOk(RealDngPath(), bytes, 256, RawOptions{.allow_preview = false}, &r2);
  const Similarity s = Compare(preview.image, demosaic.image);
  RecordProperty("mean_abs_diff", std::to_string(s.mean_abs_diff));
  EXPECT_LT(s.max_mean_diff, 12) << "mean colours differ";
  EXPECT_LT(s.mean_abs_diff, 15) << "the images differ";
}

// Every LibRaw flip code, forced with user_flip: the preview (turned by our mapping) and the
// demosaic (turned by LibRaw) must show the same upright picture, and each must be the
// unflipped image under the EXIF orientation the mapping names.
void CheckEveryFlip(const std::string& path, int edge) {
  const std::string bytes = testing::ReadFile(path);
  Result<Decoded> preview0 = DecodeRaw(path, bytes, Box(edge));
  Result<Decoded> demosaic0 = DecodeRaw(path, bytes, Box(edge), RawOptions{.allow_preview = false});
  ASSERT_TRUE(preview0.ok() && demosaic0.ok());
  for (int flip = 0; flip < 8; ++flip) {
    SCOPED_TRACE("flip " + std::to_string(flip));
    RawDecodeReport pr, dr;
    Result<Decoded> preview = DecodeRaw(path, bytes, Box(edge), RawOptions{.user_flip = flip}, &pr);
    Result<Decoded> demosaic = DecodeRaw(
        path, bytes, Box(edge), RawOptions{.allow_preview = false, .user_flip = flip}, &dr);
    ASSERT_TRUE(preview.ok()) << preview.status().ToString();
    ASSERT_TRUE(demosaic.ok()) << demosaic.status().ToString();
    EXPECT_NE(pr.path, RawPath::kDemosaic);
    EXPECT_NE(pr.path, RawPath::kDemosaicHalf);
    const bool swap = flip >= 4;
    EXPECT_EQ(preview->info.width > preview->info.height, !swap);
    EXPECT_EQ(preview->image.width() > preview->image.height(), !swap);
    EXPECT_EQ(demosaic->image.width() > demosaic->image.height(), !swap);
    const Size size = swap ? Size{32, 48} : Size{48, 32};
    EXPECT_LT(Compare(preview->image, demosaic->image, size).mean_abs_diff, 15);
    const int exif = ExifOrientationForLibRawFlip(flip);
    EXPECT_LT(
        Compare(pipeline::Orient(demosaic0->image, exif), demosaic->image, size).mean_abs_diff, 3);
    // A wrong turn would be far off: the scene is not symmetric.
    const int wrong = exif == 1 ? 3 : (exif == 6 ? 8 : (exif == 8 ? 6 : 1));
    if (wrong != exif && (wrong >= 5) == swap) {
      EXPECT_GT(
          Compare(pipeline::Orient(demosaic0->image, wrong), demosaic->image, size).mean_abs_diff,
          10);
    }
  }
}

TEST_F(RawTest, EveryFlipAgreesBetweenPreviewAndDemosaicSynthetic) {
  TESSERA_REQUIRE_CORPUS_FILE(kSyntheticDng);
  CheckEveryFlip(CorpusPath(kSyntheticDng), 128);
}

TEST_F(RawTest, EveryFlipAgreesBetweenPreviewAndDemosaicReal) {
  REQUIRE_REAL_DNG();
  CheckEveryFlip(RealDngPath(), 256);
}

// A copy tagged with a real EXIF orientation, as a camera held upright writes it.
TEST_F(RawTest, OrientationTagOfTheFileIsAppliedOnce) {
  REQUIRE_REAL_DNG();
  if (std::system("exiftool -ver > /dev/null 2>&1") != 0) GTEST_SKIP() << "exiftool not found";
  testing::TempDir dir;
  const std::string bytes = testing::ReadFile(RealDngPath());
  Result<Decoded> upright =
      DecodeRaw(RealDngPath(), bytes, Box(256), RawOptions{.allow_preview = false});
  ASSERT_TRUE(upright.ok());
  for (int exif : {3, 6, 8}) {
    SCOPED_TRACE("orientation " + std::to_string(exif));
    const std::string copy = dir / ("rot" + std::to_string(exif) + ".dng");
    testing::WriteFile(copy, bytes);
    const std::string cmd =
        "exiftool -q -overwrite_original -n -IFD0:Orientation=" + std::to_string(exif) + " '" +
        copy + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    const std::string rotated = testing::ReadFile(copy);
    Result<ProbeInfo> info = ProbeRaw(copy, rotated);
    ASSERT_TRUE(info.ok());
    const bool swap = exif >= 5;
    EXPECT_EQ(info->width, swap ? 816 : 1224);
    EXPECT_EQ(info->height, swap ? 1224 : 816);
    RawDecodeReport pr, dr;
    Result<Decoded> preview = DecodeRaw(copy, rotated, Box(256), {}, &pr);
    Result<Decoded> demosaic =
        DecodeRaw(copy, rotated, Box(256), RawOptions{.allow_preview = false}, &dr);
    ASSERT_TRUE(preview.ok() && demosaic.ok());
    EXPECT_EQ(pr.path, RawPath::kPreviewJpeg);
    EXPECT_EQ(SizeOf(preview->image), swap ? (Size{171, 256}) : (Size{256, 171}));
    const Size size = swap ? Size{32, 48} : Size{48, 32};
    const VImage expected = pipeline::Orient(upright->image, exif);
    EXPECT_LT(Compare(expected, demosaic->image, size).mean_abs_diff, 3);
    EXPECT_LT(Compare(expected, preview->image, size).mean_abs_diff, 15);
  }
}

TEST_F(RawTest, TruncatedDngIsCorruptNotGrey) {
  TESSERA_REQUIRE_CORPUS_FILE(kSyntheticDng);
  const std::string path = CorpusPath(kSyntheticDng);
  const std::string bytes = testing::ReadFile(path);
  testing::TempDir dir;
  for (size_t keep : {bytes.size() / 2, bytes.size() - 1000, size_t{200000}, size_t{4096}}) {
    SCOPED_TRACE("kept " + std::to_string(keep) + " bytes");
    const std::string cut = dir / "cut.dng";
    testing::WriteFile(cut, bytes.substr(0, keep));
    const std::string truncated = testing::ReadFile(cut);
    Result<Decoded> d = DecodeRaw(cut, truncated, Box(256), RawOptions{.allow_preview = false});
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), StatusCode::kCorrupt) << d.status().ToString();
    EXPECT_NE(d.status().message().find(cut + ": LibRaw: "), std::string::npos)
        << d.status().message();
    // The 256 px preview sits whole before the raw data, but a cut file must still fail.
    RawDecodeReport report;
    Result<Decoded> p = DecodeRaw(cut, truncated, Box(128), {}, &report);
    ASSERT_FALSE(p.ok()) << RawPathName(report.path);
    EXPECT_EQ(p.status().code(), StatusCode::kCorrupt) << p.status().ToString();
  }
}

TEST_F(RawTest, TruncatedRealDngFailsCleanly) {
  REQUIRE_REAL_DNG();
  const std::string bytes = testing::ReadFile(RealDngPath());
  for (size_t keep : {bytes.size() * 3 / 4, bytes.size() / 2, size_t{30000}}) {
    SCOPED_TRACE("kept " + std::to_string(keep) + " bytes");
    RawDecodeReport report;
    Result<Decoded> d = DecodeRaw(RealDngPath(), bytes.substr(0, keep), Box(256), {}, &report);
    ASSERT_FALSE(d.ok()) << RawPathName(report.path);
    EXPECT_TRUE(d.status().IsPermanentFileFailure()) << d.status().ToString();
  }
}

TEST_F(RawTest, RandomBytesAreUnsupported) {
  std::mt19937 rng(42);
  std::string noise(100000, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  for (const std::string& bytes : {noise, std::string(), std::string("II*\0", 4)}) {
    Result<ProbeInfo> p = ProbeRaw("/x/noise.raw", bytes);
    ASSERT_FALSE(p.ok());
    EXPECT_TRUE(p.status().IsPermanentFileFailure()) << p.status().ToString();
    EXPECT_EQ(p.status().message().rfind("/x/noise.raw: LibRaw: ", 0), 0u) << p.status().message();
    Result<Decoded> d = DecodeRaw("/x/noise.raw", bytes, Box(256));
    ASSERT_FALSE(d.ok());
    EXPECT_TRUE(d.status().IsPermanentFileFailure()) << d.status().ToString();
  }
  Result<ProbeInfo> p = ProbeRaw("/x/noise.raw", noise);
  EXPECT_EQ(p.status().code(), StatusCode::kUnsupported) << p.status().ToString();
}

// Little-endian TIFF: the raw SubIFD of the synthetic DNG made to declare `width` x `height`.
std::string WithRawSize(std::string dng, uint32_t width, uint32_t height) {
  auto u16 = [&](size_t at) {
    return uint32_t(uint8_t(dng[at])) | uint32_t(uint8_t(dng[at + 1])) << 8;
  };
  auto u32 = [&](size_t at) { return u16(at) | u16(at + 2) << 16; };
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) dng[at + i] = static_cast<char>(v >> (8 * i));
  };
  auto find = [&](size_t ifd, uint32_t tag) -> size_t {
    for (uint32_t i = 0, n = u16(ifd); i < n; ++i) {
      if (u16(ifd + 2 + 12 * i) == tag) return ifd + 2 + 12 * i;
    }
    return 0;
  };
  const size_t sub_entry = find(u32(4), 0x14a);
  if (sub_entry == 0) return "";
  const size_t sub = u32(sub_entry + 8);
  const size_t w = find(sub, 0x100), h = find(sub, 0x101);
  if (w == 0 || h == 0 || u16(w + 2) != 4 || u16(h + 2) != 4) return "";  // LONG values
  put32(w + 8, width);
  put32(h + 8, height);
  return dng;
}

TEST_F(RawTest, HugeDeclaredRawSizeIsTooLargeBeforeUnpacking) {
  TESSERA_REQUIRE_CORPUS_FILE(kSyntheticDng);
  const std::string bytes = WithRawSize(testing::ReadFile(CorpusPath(kSyntheticDng)), 20000, 16000);
  ASSERT_FALSE(bytes.empty()) << "unexpected DNG layout";
  const auto start = std::chrono::steady_clock::now();
  Result<ProbeInfo> p = ProbeRaw("huge.dng", bytes);
  Result<Decoded> d = DecodeRaw("huge.dng", bytes, Box(256), RawOptions{.allow_preview = false});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(p.ok());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kTooLarge) << p.status().ToString();
  EXPECT_EQ(d.status().code(), StatusCode::kTooLarge) << d.status().ToString();
  EXPECT_LT(seconds, 1.0);
}

// Not a correctness test: the numbers the report quotes (preview against demosaic at 256 px).
TEST_F(RawTest, TimingPreviewAgainstDemosaic) {
  TESSERA_REQUIRE_CORPUS_FILE(kSyntheticDng);
  std::vector<std::string> files = {CorpusPath(kSyntheticDng)};
  if (testing::PathExists(RealDngPath())) files.push_back(RealDngPath());
  for (const std::string& path : files) {
    const std::string bytes = testing::ReadFile(path);
    for (bool allow_preview : {true, false}) {
      double best = 1e9;
      RawDecodeReport report;
      for (int i = 0; i < 3; ++i) {
        const auto start = std::chrono::steady_clock::now();
        Result<Decoded> d =
            DecodeRaw(path, bytes, Box(256), RawOptions{.allow_preview = allow_preview}, &report);
        ASSERT_TRUE(d.ok());
        best = std::min(best, std::chrono::duration<double, std::milli>(
                                  std::chrono::steady_clock::now() - start)
                                  .count());
      }
      std::printf("[ timing ] %s at 256 px: %s %.1f ms\n", path.substr(path.rfind('/') + 1).c_str(),
                  std::string(RawPathName(report.path)).c_str(), best);
    }
  }
}

}  // namespace
}  // namespace tessera::decoders
