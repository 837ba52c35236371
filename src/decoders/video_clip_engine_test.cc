// Engine::VideoClip end to end: the request goes to a real tessera-helper, whose sandbox forbids
// writing files, and the MP4 comes back over the socket. Non-videos are refused before any
// helper starts; a helper that crashes or hangs costs that clip only, with a reason naming the
// file.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "src/decoders/video_clip_test_util.h"
#include "tessera/engine.h"

namespace tessera {
namespace {

using decoders::testing::ClipFirstFrame;
using decoders::testing::ClipProbe;
using decoders::testing::IndexOf;
using decoders::testing::MeanAbsDifference;
using decoders::testing::ProbeClip;
using decoders::testing::ReferenceSquare;
using decoders::testing::TopLevelBoxes;
using testing::CorpusPath;

constexpr char kRotated[] = "video/derived-rotate90-metadata__phone.mp4";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Sets $TESSERA_HELPER_FAULT for the scope.
class ScopedFault {
 public:
  explicit ScopedFault(const std::string& spec) {
    ::setenv("TESSERA_HELPER_FAULT", spec.c_str(), 1);
  }
  ~ScopedFault() { ::unsetenv("TESSERA_HELPER_FAULT"); }
};

class EngineVideoClipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("TESSERA_HELPER_FAULT");
    if (!decoders::testing::HaveFfmpegTools()) GTEST_SKIP() << "ffmpeg/ffprobe not installed";
  }

  tessera::testing::TempDir dir_;
};

TEST_F(EngineVideoClipTest, RotatedPhoneClipComesBackFromTheSandboxUpright) {
  TESSERA_REQUIRE_CORPUS_FILE(kRotated);
  const std::string path = CorpusPath(kRotated);
  const Engine engine;
  Result<std::string> clip = engine.VideoClip(path);
  ASSERT_TRUE(clip.ok()) << clip.status().ToString();
  EXPECT_EQ(engine.helpers_started(), 1);
  const std::string file = dir_ / "clip.mp4";
  testing::WriteFile(file, *clip);

  const ClipProbe probe = ProbeClip(file);
  ASSERT_TRUE(probe.ok);
  EXPECT_EQ(probe.video_streams, 1);
  EXPECT_EQ(probe.other_streams, 0) << "the source's AAC track is left out";
  EXPECT_EQ(probe.codec, "h264");
  EXPECT_EQ(probe.pix_fmt, "yuv420p");
  EXPECT_EQ(probe.width, 500);
  EXPECT_EQ(probe.height, 500);
  EXPECT_NEAR(probe.duration, 1.6, 0.1) << "shorter than 3 s: the whole video";
  const std::vector<std::string> boxes = TopLevelBoxes(*clip);
  ASSERT_GE(IndexOf(boxes, "moov"), 0);
  EXPECT_LT(IndexOf(boxes, "moov"), IndexOf(boxes, "mdat"));

  const vips::VImage frame = ClipFirstFrame(file, 500);
  const vips::VImage shown = ReferenceSquare(path, 0, {500, 889}, 500);
  ASSERT_EQ(frame.width(), 500);
  ASSERT_EQ(shown.width(), 500);
  const double upright = MeanAbsDifference(frame, shown);
  EXPECT_LT(upright, 4);
  EXPECT_GT(MeanAbsDifference(frame, shown.rot(VIPS_ANGLE_D90)), 3 * upright);

  // The helper is reused, and the options travel: a smaller, shorter clip.
  ClipOptions options;
  options.edge = 200;
  options.seconds = 1;
  clip = engine.VideoClip(path, options);
  ASSERT_TRUE(clip.ok()) << clip.status().ToString();
  testing::WriteFile(file, *clip);
  const ClipProbe small = ProbeClip(file);
  EXPECT_EQ(small.width, 200);
  EXPECT_NEAR(small.duration, 1, 0.1);  // the video track ends a little before the audio
  EXPECT_EQ(engine.helpers_started(), 1);
}

TEST_F(EngineVideoClipTest, NonVideosAreRefusedWithoutAHelper) {
  TESSERA_REQUIRE_CORPUS_FILE("orientation/orientation-6.jpg");
  const Engine engine;
  const std::string jpeg = CorpusPath("orientation/orientation-6.jpg");
  Result<std::string> clip = engine.VideoClip(jpeg);
  ASSERT_FALSE(clip.ok());
  EXPECT_EQ(clip.status().code(), StatusCode::kUnsupported) << clip.status().ToString();
  EXPECT_EQ(clip.status().message(), jpeg + ": not a video (image/jpeg): no clip");

  const std::string empty = CorpusPath("bad/zero-bytes.jpg");
  clip = engine.VideoClip(empty);
  EXPECT_EQ(clip.status().code(), StatusCode::kCorrupt) << clip.status().ToString();
  EXPECT_TRUE(Contains(clip.status().message(), empty)) << clip.status().ToString();

  const std::string missing = dir_ / "missing.mp4";
  clip = engine.VideoClip(missing);
  EXPECT_EQ(clip.status().code(), StatusCode::kNotFound) << clip.status().ToString();
  EXPECT_TRUE(Contains(clip.status().message(), missing)) << clip.status().ToString();
  EXPECT_EQ(engine.helpers_started(), 0);
}

TEST_F(EngineVideoClipTest, BrokenVideosFailNamingTheFile) {
  TESSERA_REQUIRE_CORPUS_FILE("bad");
  const Engine engine;
  const std::string truncated = CorpusPath("bad/truncated-50pct__cockatoo.mp4");
  Result<std::string> clip = engine.VideoClip(truncated);
  ASSERT_FALSE(clip.ok());
  EXPECT_EQ(clip.status().code(), StatusCode::kCorrupt) << clip.status().ToString();
  EXPECT_TRUE(Contains(clip.status().message(), truncated)) << clip.status().ToString();
  EXPECT_TRUE(Contains(clip.status().message(), "moov atom not found")) << clip.status().ToString();

  const std::string audio = CorpusPath("bad/audio-only__forensics__debian.mp3");
  clip = engine.VideoClip(audio);
  ASSERT_FALSE(clip.ok());
  EXPECT_EQ(clip.status().code(), StatusCode::kUnsupported) << clip.status().ToString();
  EXPECT_EQ(clip.status().message(), audio + ": no video stream");
}

TEST_F(EngineVideoClipTest, ClipOverTheByteLimitIsTooLarge) {
  TESSERA_REQUIRE_CORPUS_FILE(kRotated);
  const std::string path = CorpusPath(kRotated);
  ClipOptions options;
  options.max_bytes = 4000;
  Result<std::string> clip = Engine().VideoClip(path, options);
  ASSERT_FALSE(clip.ok());
  EXPECT_EQ(clip.status().code(), StatusCode::kTooLarge) << clip.status().ToString();
  EXPECT_EQ(clip.status().message(), path + ": the clip would be over 4000 bytes");
}

TEST_F(EngineVideoClipTest, CrashingHelperCostsThatClipOnly) {
  TESSERA_REQUIRE_CORPUS_FILE(kRotated);
  const std::string path = CorpusPath(kRotated);
  const Engine engine;
  {
    ScopedFault fault("crash:rotate90");
    Result<std::string> clip = engine.VideoClip(path);
    ASSERT_FALSE(clip.ok());
    EXPECT_EQ(clip.status().code(), StatusCode::kCorrupt) << clip.status().ToString();
    EXPECT_EQ(clip.status().message(), path + ": decoder crashed: SIGSEGV");
  }
  Result<std::string> clip = engine.VideoClip(path);
  ASSERT_TRUE(clip.ok()) << clip.status().ToString();
  EXPECT_EQ(engine.helpers_started(), 2);
}

TEST_F(EngineVideoClipTest, HangingHelperTimesOut) {
  TESSERA_REQUIRE_CORPUS_FILE(kRotated);
  const std::string path = CorpusPath(kRotated);
  EngineOptions options;
  options.isolation.timeout_seconds = 1;
  const Engine engine(options);
  ScopedFault fault("hang:rotate90");
  Result<std::string> clip = engine.VideoClip(path);
  ASSERT_FALSE(clip.ok());
  EXPECT_EQ(clip.status().code(), StatusCode::kTooLarge) << clip.status().ToString();
  EXPECT_EQ(clip.status().message(), path + ": timed out after 1 s");
}

TEST_F(EngineVideoClipTest, OptionsOutOfRangeAreRefused) {
  const Engine engine;
  auto refused = [&engine](ClipOptions options) {
    return engine.VideoClip("/nonexistent.mp4", options).status().code() ==
           StatusCode::kInvalidArgument;
  };
  EXPECT_TRUE(refused(ClipOptions{.edge = 0}));
  EXPECT_TRUE(refused(ClipOptions{.edge = 5000}));
  EXPECT_TRUE(refused(ClipOptions{.seconds = 0}));
  EXPECT_TRUE(refused(ClipOptions{.seconds = 61}));
  EXPECT_TRUE(refused(ClipOptions{.start_seconds = -1}));
  EXPECT_TRUE(refused(ClipOptions{.max_fps = 0}));
  EXPECT_TRUE(refused(ClipOptions{.crf = 52}));
  EXPECT_TRUE(refused(ClipOptions{.preset = "bogus"}));
  EXPECT_TRUE(refused(ClipOptions{.max_bytes = 0}));
  EXPECT_TRUE(refused(ClipOptions{.max_bytes = 1ull << 30}));
  EXPECT_FALSE(refused(ClipOptions{}));  // NotFound: the options were fine
  EXPECT_EQ(engine.helpers_started(), 0);
}

}  // namespace
}  // namespace tessera
