// The video decoder on the corpus: every real and derived clip, rotation, the black-first
// clip, the bad files; and the pure parts (geometry, frame scores, candidate times).
#include "src/decoders/video.h"

#include <gtest/gtest.h>

extern "C" {
#include <libavutil/display.h>
}

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "src/core/test_corpus.h"
#include "src/decoders/video_geometry.h"
#include "src/decoders/video_pick.h"
#include "src/decoders/video_score.h"
#include "src/decoders/video_source.h"
#include "src/decoders/video_test_util.h"
#include "src/pipeline/plan.h"

namespace tessera::decoders {
namespace {

using testing::Box;
using testing::Stats;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class VideoCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitEngineRuntime().ok()); }
};

// Every clip of the corpus' video/ folder and the extra real HEVC clip; {""} when absent.
std::vector<std::string> CorpusVideos() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(tessera::testing::CorpusPath("video"), ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  const std::string extra = testing::ExtraCorpusDir() + "/real-hevc-hvc1.mov";
  if (tessera::testing::PathExists(extra)) files.push_back(extra);
  std::sort(files.begin(), files.end());
  if (files.empty()) files.push_back("");
  return files;
}

class VideoCorpusClipTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { ASSERT_TRUE(InitEngineRuntime().ok()); }
};

TEST_P(VideoCorpusClipTest, DecodesAtThePlannedSize) {
  TESSERA_REQUIRE_CORPUS_FILE("video");
  const std::string& path = GetParam();
  ASSERT_FALSE(path.empty());
  Result<ProbeInfo> probe = ProbeVideo(path);
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  Result<Decoded> decoded = DecodeVideo(path, Box(256));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const ProbeInfo& info = decoded->info;
  EXPECT_EQ(info.format, "video");
  EXPECT_EQ(info.orientation, 1);
  EXPECT_EQ(info.bands, 3);
  EXPECT_EQ(info.pages, 1);
  EXPECT_EQ(info.bits_per_sample, 8);
  EXPECT_EQ(info.width, probe->width);
  EXPECT_EQ(info.height, probe->height);
  EXPECT_EQ(info.duration_seconds, probe->duration_seconds);
  EXPECT_GT(info.duration_seconds, 0);

  const Size expected = pipeline::FitInside({info.width, info.height}, 256, 256);
  EXPECT_EQ(decoded->image.width(), expected.width);
  EXPECT_EQ(decoded->image.height(), expected.height);
  EXPECT_EQ(decoded->image.bands(), 3);
  EXPECT_EQ(decoded->image.format(), VIPS_FORMAT_UCHAR);
  EXPECT_EQ(decoded->image.interpretation(), VIPS_INTERPRETATION_sRGB);

  if (testing::HaveFfmpegTools()) {  // FFmpeg's own tool agrees on display size and duration
    const auto ffprobe = testing::Ffprobe(path);
    EXPECT_EQ(testing::FfprobeDisplaySize(ffprobe), (Size{info.width, info.height}));
    ASSERT_TRUE(ffprobe.count("duration"));
    EXPECT_NEAR(info.duration_seconds, std::stod(ffprobe.at("duration")), 0.01);
  }
}

INSTANTIATE_TEST_SUITE_P(Video, VideoCorpusClipTest, ::testing::ValuesIn(CorpusVideos()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = std::filesystem::path(info.param).stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name.empty() ? std::string("none") : name;
                         });

// Decoders share FFmpeg's log hook and libvips: concurrent calls give what serial calls give.
TEST_F(VideoCorpusTest, ConcurrentDecodesMatchSerialOnes) {
  TESSERA_REQUIRE_CORPUS_FILE("video");
  const std::vector<std::string> files = {
      tessera::testing::CorpusPath("video/mjpeg-160x120__kphotoalbum__movie.avi"),
      tessera::testing::CorpusPath("video/real-h264-320x240__imageio__realshort.mp4"),
      tessera::testing::CorpusPath("video/real-theora__mecavideo__Effet_force_magnetique.ogv"),
      tessera::testing::CorpusPath("video/real-vp9-avi__mecavideo__balle1-vp9.avi")};
  std::vector<vips::VImage> serial;
  for (const std::string& path : files) {
    Result<Decoded> decoded = DecodeVideo(path, Box(128));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    serial.push_back(decoded->image);
  }
  std::vector<Result<Decoded>> parallel(files.size(), Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < files.size(); ++i) {
    threads.emplace_back([&, i] { parallel[i] = DecodeVideo(files[i], Box(128)); });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(files[i]);
    ASSERT_TRUE(parallel[i].ok()) << parallel[i].status().ToString();
    EXPECT_EQ(testing::MeanAbsDifference(parallel[i]->image, serial[i]), 0);
  }
}

TEST_F(VideoCorpusTest, ThumbnailIsNeverLargerThanTheVideo) {
  TESSERA_REQUIRE_CORPUS_FILE("video/mjpeg-160x120__kphotoalbum__movie.avi");
  Result<Decoded> decoded = DecodeVideo(
      tessera::testing::CorpusPath("video/mjpeg-160x120__kphotoalbum__movie.avi"), Box(1024));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->image.width(), 160);
  EXPECT_EQ(decoded->image.height(), 120);
}

// The display matrix turns a landscape-coded clip portrait (and the other clips stay as coded).
TEST_F(VideoCorpusTest, DisplayMatrixRotationIsApplied) {
  TESSERA_REQUIRE_CORPUS_FILE("video/derived-rotate90-metadata__phone.mp4");
  struct Case {
    std::string path;
    bool portrait;
  };
  std::vector<Case> cases = {
      {tessera::testing::CorpusPath("video/derived-rotate90-metadata__phone.mp4"), true},
      {tessera::testing::CorpusPath("video/derived-hevc-iphone-like__phone.mov"), false},
      {tessera::testing::CorpusPath("video/real-phone-1080p-h264-gps__forensics__VID_20191220_"
                                    "170832.mp4"),
       false}};
  if (tessera::testing::PathExists(testing::ExtraCorpusDir() + "/real-hevc-hvc1.mov")) {
    cases.push_back({testing::ExtraCorpusDir() + "/real-hevc-hvc1.mov", true});  // -90
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    auto source = video::VideoSource::Open(c.path);
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    const Size coded = (*source)->coded_size();
    EXPECT_GT(coded.width, coded.height);  // every one is coded landscape
    Result<Decoded> decoded = DecodeVideo(c.path, Box(256));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->info.height > decoded->info.width, c.portrait);
    EXPECT_EQ(decoded->image.height() > decoded->image.width(), c.portrait);
    if (c.portrait) {
      EXPECT_EQ(decoded->info.width, coded.height);
      EXPECT_EQ(decoded->info.height, coded.width);
    }
  }
}

// ffmpegthumbnailer's 10% seek lands on black in this clip (black for 2 s, then a fade-in).
TEST_F(VideoCorpusTest, BlackFirstClipGivesAPictureNotBlack) {
  TESSERA_REQUIRE_CORPUS_FILE("video/derived-black-first-2s__cockatoo.mp4");
  const std::string path =
      tessera::testing::CorpusPath("video/derived-black-first-2s__cockatoo.mp4");
  if (testing::HaveFfmpegTools()) {  // the premise: frame 0 and the 10% frame really are black
    for (const char* at : {"0", "0.6"}) {
      const std::string first = testing::Run("ffmpeg -nostdin -v error -ss " + std::string(at) +
                                             " -i " + testing::Quote(path) +
                                             " -frames:v 1 -vf scale=64:36,format=rgb24 "
                                             "-f rawvideo - </dev/null");
      ASSERT_EQ(first.size(), 64u * 36 * 3);
      EXPECT_LT(Stats(testing::FromRgbBytes(first, 64, 36)).luma_mean, 5) << at;
    }
  }
  Result<Decoded> decoded = DecodeVideo(path, Box(256));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const testing::RgbStats stats = Stats(decoded->image);
  EXPECT_GT(stats.luma_mean, 40);
  EXPECT_GT(stats.luma_stddev, 20);
}

// A QuickTime reference movie: its frames are in other files, which must not be opened.
TEST_F(VideoCorpusTest, ReferenceMovieIsRefusedWithoutOpeningOtherFiles) {
  const std::string path = testing::ExtraCorpusDir() + "/real-quicktime-jpeg.mov";
  if (!tessera::testing::PathExists(path)) GTEST_SKIP() << path << " missing";
  Result<ProbeInfo> probe = ProbeVideo(path);  // the header itself is fine
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->width, 434);
  EXPECT_EQ(probe->height, 343);
  Result<Decoded> decoded = DecodeVideo(path, Box(256));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kUnsupported);
  EXPECT_TRUE(Contains(decoded.status().message(), path)) << decoded.status().ToString();
  EXPECT_TRUE(Contains(decoded.status().message(), "other files")) << decoded.status().ToString();
}

TEST_F(VideoCorpusTest, AudioOnlyFileHasNoVideoStream) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/audio-only__forensics__debian.mp3");
  const std::string path = tessera::testing::CorpusPath("bad/audio-only__forensics__debian.mp3");
  for (const Status& status : {ProbeVideo(path).status(), DecodeVideo(path, Box(256)).status()}) {
    EXPECT_EQ(status.code(), StatusCode::kUnsupported) << status.ToString();
    EXPECT_EQ(status.message(), path + ": no video stream");
  }
}

TEST_F(VideoCorpusTest, TruncatedMp4IsCorruptAndSaysWhy) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/truncated-50pct__cockatoo.mp4");
  const std::string path = tessera::testing::CorpusPath("bad/truncated-50pct__cockatoo.mp4");
  for (const Status& status : {ProbeVideo(path).status(), DecodeVideo(path, Box(256)).status()}) {
    EXPECT_EQ(status.code(), StatusCode::kCorrupt) << status.ToString();
    EXPECT_TRUE(Contains(status.message(), path)) << status.ToString();
    EXPECT_TRUE(Contains(status.message(), "moov atom not found")) << status.ToString();
  }
}

TEST_F(VideoCorpusTest, Mp4NamedJpgDecodes) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/wrong-ext-mp4-named.jpg");
  Result<Decoded> decoded =
      DecodeVideo(tessera::testing::CorpusPath("bad/wrong-ext-mp4-named.jpg"), Box(256));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->image.width(), 256);
  EXPECT_EQ(decoded->image.height(), 192);
  EXPECT_GT(Stats(decoded->image).luma_stddev, 20);
}

TEST_F(VideoCorpusTest, OtherBadFilesFailCleanlyNamingTheFile) {
  TESSERA_REQUIRE_CORPUS_FILE("bad");
  for (const char* name : {"bad/zero-bytes.jpg", "bad/random-64KiB.jpg", "bad/text-file.jpg",
                           "bad/truncated-50pct__TwoWings.png"}) {
    const std::string path = tessera::testing::CorpusPath(name);
    SCOPED_TRACE(path);
    const Status status = DecodeVideo(path, Box(256)).status();
    EXPECT_FALSE(status.ok());
    EXPECT_TRUE(status.IsPermanentFileFailure()) << status.ToString();
    EXPECT_TRUE(Contains(status.message(), path)) << status.ToString();
  }
  const Status missing = DecodeVideo("/nonexistent/clip.mp4", Box(256)).status();
  EXPECT_EQ(missing.code(), StatusCode::kNotFound) << missing.ToString();
}

TEST(VideoGeometryTest, DisplayMatrixToFilters) {
  using T = video::DisplayTransform::Transpose;
  EXPECT_TRUE(video::TransformFromDisplayMatrix(nullptr).IsIdentity());
  int32_t m[9];
  auto transform = [&m](double clockwise, bool hflip, bool vflip) {
    av_display_rotation_set(m, clockwise);
    av_display_matrix_flip(m, hflip, vflip);
    return video::TransformFromDisplayMatrix(m);
  };
  EXPECT_TRUE(transform(0, false, false).IsIdentity());
  // av_display_rotation_set(90) is what `-metadata:s:v rotate=270` writes (ffprobe: 90).
  EXPECT_EQ(transform(-90, false, false).transpose, T::kCclock);
  EXPECT_EQ(transform(90, false, false).transpose, T::kClock);
  EXPECT_EQ(transform(180, false, false).Filters(), "hflip,vflip");
  EXPECT_EQ(transform(0, true, false).Filters(), "hflip");
  EXPECT_EQ(transform(0, false, true).Filters(), "vflip");
  EXPECT_EQ(transform(90, true, false).Filters(), "transpose=cclock_flip");
  EXPECT_EQ(transform(-90, true, false).Filters(), "transpose=clock_flip");
  EXPECT_TRUE(transform(45, false, false).IsIdentity());  // not a quarter: shown as coded
  int32_t singular[9] = {};
  EXPECT_TRUE(video::TransformFromDisplayMatrix(singular).IsIdentity());
}

TEST(VideoGeometryTest, DisplaySize) {
  const video::DisplayTransform upright;
  const video::DisplayTransform quarter{video::DisplayTransform::Transpose::kClock};
  EXPECT_EQ(video::DisplaySize({720, 576}, AVRational{16, 15}, upright), (Size{768, 576}));
  EXPECT_EQ(video::DisplaySize({720, 480}, AVRational{8, 9}, upright), (Size{640, 480}));
  EXPECT_EQ(video::DisplaySize({1920, 1080}, AVRational{0, 1}, quarter), (Size{1080, 1920}));
  EXPECT_EQ(video::DisplaySize({320, 240}, AVRational{2, 1}, quarter), (Size{240, 640}));
  EXPECT_EQ(video::DisplaySize({320, 240}, AVRational{1000, 1}, upright), (Size{320, 240}));
  EXPECT_EQ(video::DisplaySize({320, 240}, AVRational{-1, 1}, upright), (Size{320, 240}));
  EXPECT_EQ(video::PreTransformSize({144, 256}, quarter), (Size{256, 144}));
}

std::vector<uint8_t> Flat(int width, int height, uint8_t level) {
  return std::vector<uint8_t>(static_cast<size_t>(width) * height, level);
}

video::FrameScore Score(const std::vector<uint8_t>& grey, int width, int height) {
  return video::ScoreGrey(grey.data(), width, height, width);
}

TEST(VideoScoreTest, BlackWhiteAndFlatFramesAreRejected) {
  EXPECT_FALSE(Score(Flat(64, 36, 0), 64, 36).Usable());
  EXPECT_FALSE(Score(Flat(64, 36, 16), 64, 36).Usable());
  EXPECT_FALSE(Score(Flat(64, 36, 255), 64, 36).Usable());
  EXPECT_FALSE(Score(Flat(64, 36, 128), 64, 36).Usable());
  // A black slate with a line of white text: contrast, but near-uniform.
  std::vector<uint8_t> slate = Flat(64, 36, 0);
  for (int x = 20; x < 44; x += 2) slate[18 * 64 + x] = 255;
  const video::FrameScore text = Score(slate, 64, 36);
  EXPECT_GT(text.stddev, 10);
  EXPECT_FALSE(text.Usable()) << text.ToString();
}

TEST(VideoScoreTest, DetailedFramesAreKeptAndPreferred) {
  std::vector<uint8_t> ramp(64 * 36), checker(64 * 36);
  for (int y = 0; y < 36; ++y) {
    for (int x = 0; x < 64; ++x) {
      ramp[y * 64 + x] = static_cast<uint8_t>(x * 4);
      checker[y * 64 + x] = ((x / 2 + y / 2) % 2) ? 200 : 40;
    }
  }
  const video::FrameScore smooth = Score(ramp, 64, 36);
  const video::FrameScore busy = Score(checker, 64, 36);
  EXPECT_TRUE(smooth.Usable()) << smooth.ToString();
  EXPECT_TRUE(busy.Usable()) << busy.ToString();
  EXPECT_NEAR(smooth.mean, 126, 1);
  EXPECT_TRUE(video::BetterThan(busy, smooth));
  EXPECT_FALSE(video::BetterThan(smooth, busy));
  EXPECT_TRUE(video::BetterThan(smooth, Score(Flat(64, 36, 0), 64, 36)));
}

void ExpectTimes(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-9) << i;
}

TEST(VideoPickTest, CandidateTimes) {
  ExpectTimes(video::CandidateTimes(10, 0), {1, 2.5, 4});
  ExpectTimes(video::CandidateTimes(10, 1), {5.5, 7, 8.5});
  ExpectTimes(video::CandidateTimes(0, 0), {0.5, 2, 5});
  ExpectTimes(video::CandidateTimes(0, 1), {10, 20, 40});
  ExpectTimes(video::CandidateTimes(10, 2), {0});
}

}  // namespace
}  // namespace tessera::decoders
