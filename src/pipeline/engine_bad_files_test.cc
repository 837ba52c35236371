// Hostile and broken files: refused cleanly with a reason naming the file, or, for the few
// that are really decodable, thumbnailed correctly.
#include <gtest/gtest.h>

#include <string>

#include "src/pipeline/test_images.h"
#include "tessera/engine.h"

namespace tessera {
namespace {

using testing::CorpusPath;

Result<ThumbnailSet> Thumb(const std::string& relative, bool fast_jpeg = true) {
  return Engine(EngineOptions{.fast_jpeg = fast_jpeg})
      .Thumbnail(CorpusPath(relative), {Target::Square(256)});
}

void ExpectRefused(const std::string& relative, StatusCode code, const std::string& reason = "",
                   StatusCode or_code = StatusCode::kOk) {
  SCOPED_TRACE(relative);
  for (bool fast : {true, false}) {
    auto set = Thumb(relative, fast);
    ASSERT_FALSE(set.ok());
    EXPECT_TRUE(set.status().code() == code || set.status().code() == or_code)
        << set.status().ToString();
    EXPECT_NE(set.status().message().find(CorpusPath(relative)), std::string::npos)
        << set.status().ToString();
    if (!reason.empty()) {
      EXPECT_NE(set.status().message().find(reason), std::string::npos) << set.status().ToString();
    }
  }
}

TEST(BadFilesTest, BombsAreRefusedOnTheHeader) {
  TESSERA_REQUIRE_CORPUS_FILE("bad");
  ExpectRefused("bad/png-bomb-50000x50000-1bit.png", StatusCode::kTooLarge,
                "50000x50000 = 2500 megapixels exceeds the limit of 300");
  ExpectRefused("bad/png-header-50000x50000-rgba-truncated.png", StatusCode::kTooLarge,
                "50000x50000");
  ExpectRefused("bad/jpeg-sof-65000x65000-truncated.jpg", StatusCode::kTooLarge, "65000x65000");
  // The 27-byte GIF has no frame data at all: with fail_on = truncated the header read
  // already fails, before the size check could.
  ExpectRefused("bad/gif-screen-65535x65535-truncated.gif", StatusCode::kTooLarge, "",
                StatusCode::kCorrupt);
}

TEST(BadFilesTest, ProbeOfABombDecodesNothing) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/png-bomb-50000x50000-1bit.png");
  auto probe = Engine().Probe(CorpusPath("bad/png-bomb-50000x50000-1bit.png"));
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->width, 50000);
  EXPECT_EQ(probe->height, 50000);
}

TEST(BadFilesTest, TruncatedFilesAreCorrupt) {
  TESSERA_REQUIRE_CORPUS_FILE("bad");
  ExpectRefused("bad/truncated-40pct__IMG_20191224_234846.jpg", StatusCode::kCorrupt);
  ExpectRefused("bad/truncated-in-header-600B__IMG_20191224_234846.jpg", StatusCode::kCorrupt);
  ExpectRefused("bad/truncated-50pct__TwoWings.png", StatusCode::kCorrupt);
  ExpectRefused("bad/truncated-real-iphone7__go4__park.heic", StatusCode::kCorrupt);
}

// A GIF cut after its first frame still decodes that frame (libnsgif does not notice), but the
// file is truncated all the same: refused, as every other truncated file is.
TEST(BadFilesTest, GifTruncatedAfterTheFirstFrameIsCorrupt) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/truncated-50pct__newtonscradle.gif");
  ExpectRefused("bad/truncated-50pct__newtonscradle.gif", StatusCode::kCorrupt, "truncated GIF");
}

TEST(BadFilesTest, NotImagesAreRefusedClearly) {
  TESSERA_REQUIRE_CORPUS_FILE("bad");
  ExpectRefused("bad/zero-bytes.jpg", StatusCode::kCorrupt, "empty file");
  ExpectRefused("bad/random-64KiB.jpg", StatusCode::kUnsupported,
                "unsupported file type application/octet-stream");
  ExpectRefused("bad/text-file.jpg", StatusCode::kUnsupported, "unsupported file type text/plain");
  ExpectRefused("bad/truncated-50pct__cockatoo.mp4", StatusCode::kCorrupt,
                "truncated or incomplete video (moov atom not found)");
  ExpectRefused("bad/audio-only__forensics__debian.mp3", StatusCode::kUnsupported,
                "no video stream");
}

TEST(BadFilesTest, DecodableOnesGetThumbnails) {
  TESSERA_REQUIRE_CORPUS_FILE("bad");
  for (const char* file :
       {"bad/malformed-exif__npm-exif__evil1.jpg", "bad/wrong-ext-jpeg-named.png",
        "bad/wrong-ext-png-named.jpg", "bad/wrong-ext-mp4-named.jpg"}) {
    SCOPED_TRACE(file);
    for (bool fast : {true, false}) {
      auto set = Thumb(file, fast);
      ASSERT_TRUE(set.ok()) << set.status().ToString();
      EXPECT_EQ(std::max(set->images[0].width, set->images[0].height),
                std::min(256, std::max(set->probe.OrientedWidth(), set->probe.OrientedHeight())));
    }
  }
  EXPECT_EQ(Thumb("bad/wrong-ext-jpeg-named.png")->probe.mime_type, "image/jpeg");
  EXPECT_EQ(Thumb("bad/wrong-ext-png-named.jpg")->probe.mime_type, "image/png");
  EXPECT_EQ(Thumb("bad/wrong-ext-mp4-named.jpg")->probe.mime_type, "video/mp4");
}

// Rendered at the target size whatever they declare, from memory, so the external references
// (file:///etc/passwd, http) are not fetched; the pixel limit does not apply to vectors.
TEST(BadFilesTest, HostileSvgsRenderAtTheTargetSize) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/svg-100000x100000.svg");
  for (const char* file : {"bad/svg-100000x100000.svg", "bad/svg-external-file-ref.svg"}) {
    SCOPED_TRACE(file);
    auto set = Thumb(file);
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    EXPECT_EQ(set->probe.format, "svg");
    EXPECT_TRUE(set->probe.is_vector);
    EXPECT_EQ(std::max(set->images[0].width, set->images[0].height),
              std::min(256, std::max(set->probe.width, set->probe.height)));
  }
}

TEST(BadFilesTest, MissingFileIsNotFound) {
  auto set = Engine().Thumbnail("/nonexistent/dir/a.jpg", {Target::Square(256)});
  EXPECT_EQ(set.status().code(), StatusCode::kNotFound);
  EXPECT_NE(set.status().message().find("/nonexistent/dir/a.jpg"), std::string::npos);
}

TEST(BadFilesTest, FileSizeLimit) {
  TESSERA_REQUIRE_CORPUS_FILE("photos/mate__Storm.jpg");
  auto set = Engine(EngineOptions{.max_file_bytes = 1000})
                 .Thumbnail(CorpusPath("photos/mate__Storm.jpg"), {Target::Square(256)});
  EXPECT_EQ(set.status().code(), StatusCode::kTooLarge);
}

}  // namespace
}  // namespace tessera
