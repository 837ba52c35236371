// Video clips in this process (the helper's side, without its sandbox): the pure plan, then
// every corpus video as a playable square H.264 MP4 with its moov box first, the picture
// upright and with its pixel aspect, the window where it was asked for, the options and limits,
// and the bad files.
#include "src/decoders/video_clip.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "src/decoders/video.h"
#include "src/decoders/video_clip_test_util.h"

namespace tessera::decoders {
namespace {

using testing::ClipFirstFrame;
using testing::ClipProbe;
using testing::MeanAbsDifference;
using testing::ProbeClip;
using testing::ReferenceSquare;
using testing::TopLevelBoxes;
using video::Size;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- The plan (pure) ----

TEST(ClipPlanTest, EdgeIsEvenAndNeverUpscaled) {
  EXPECT_EQ(video::ClipEdge({1920, 1080}, 500), 500);
  EXPECT_EQ(video::ClipEdge({1080, 1920}, 500), 500);
  EXPECT_EQ(video::ClipEdge({320, 240}, 500), 240);
  EXPECT_EQ(video::ClipEdge({400, 304}, 500), 304);
  EXPECT_EQ(video::ClipEdge({161, 121}, 500), 120);  // odd: down to even
  EXPECT_EQ(video::ClipEdge({1920, 1080}, 501), 500);
  EXPECT_EQ(video::ClipEdge({3, 2}, 500), 2);
  EXPECT_EQ(video::ClipEdge({1, 100}, 500), 0);  // too small for yuv420p
}

TEST(ClipPlanTest, CentredSquareIsCutFromTheStoredFrame) {
  using T = video::DisplayTransform::Transpose;
  auto crop = [](Size display, video::DisplayTransform transform) {
    const video::SquareCrop c = video::CentredSquare(display, transform);
    return std::pair<double, double>(c.width, c.height);
  };
  EXPECT_EQ(crop({1920, 1080}, {}), (std::pair<double, double>(0.5625, 1)));
  EXPECT_EQ(crop({1080, 1920}, {}), (std::pair<double, double>(1, 0.5625)));
  // Stored 1920x1080, shown turned a quarter (1080x1920): still the middle of the stored width.
  EXPECT_EQ(crop({1080, 1920}, {T::kClock}), (std::pair<double, double>(0.5625, 1)));
  EXPECT_EQ(crop({1080, 1920}, {T::kCclockFlip}), (std::pair<double, double>(0.5625, 1)));
  // Stored 720x576 with 16:15 pixels, shown 768x576: 540 stored columns are the 576 shown.
  EXPECT_EQ(crop({768, 576}, {}), (std::pair<double, double>(0.75, 1)));
  EXPECT_EQ(crop({500, 500}, {}), (std::pair<double, double>(1, 1)));
  EXPECT_EQ(crop({1920, 1080}, {.hflip = true, .vflip = true}),
            (std::pair<double, double>(0.5625, 1)));
}

TEST(ClipPlanTest, WindowFitsTheVideo) {
  auto window = [](double duration, double seconds, double wanted) {
    const video::ClipWindow w = video::PlanWindow(duration, seconds, wanted);
    return std::pair<double, double>(w.start, w.seconds);
  };
  EXPECT_EQ(window(14, 3, 1.4), (std::pair<double, double>(1.4, 3)));
  EXPECT_EQ(window(14, 3, 13), (std::pair<double, double>(11, 3)));  // moved back
  EXPECT_EQ(window(14, 3, -1), (std::pair<double, double>(0, 3)));
  EXPECT_EQ(window(1.6, 3, 0.4), (std::pair<double, double>(0, 1.6)));  // shorter: whole
  EXPECT_EQ(window(3, 3, 1), (std::pair<double, double>(0, 3)));
  EXPECT_EQ(window(0, 3, 5), (std::pair<double, double>(5, 3)));  // unknown duration
}

TEST(ClipPlanTest, RateIsCappedAndKeptBelowTheCap) {
  auto rate = [](AVRational r, int cap) {
    const AVRational out = video::ClipRate(r, cap);
    return std::pair<int, int>(out.num, out.den);
  };
  EXPECT_EQ(rate({30000, 1001}, 25), (std::pair<int, int>(25, 1)));
  EXPECT_EQ(rate({30000, 1001}, 30), (std::pair<int, int>(30000, 1001)));
  EXPECT_EQ(rate({15, 1}, 25), (std::pair<int, int>(15, 1)));
  EXPECT_EQ(rate({78125, 417}, 25), (std::pair<int, int>(25, 1)));
  EXPECT_EQ(rate({0, 1}, 25), (std::pair<int, int>(25, 1)));  // unknown
  EXPECT_EQ(rate({1, 0}, 25), (std::pair<int, int>(25, 1)));
  EXPECT_EQ(rate({1, 5}, 25), (std::pair<int, int>(1, 1)));  // a slideshow: at least 1 fps
}

TEST(ClipPlanTest, PlanPutsItTogether) {
  ProbeInfo info;
  info.width = 1080;  // a portrait phone video, as displayed
  info.height = 1920;
  info.duration_seconds = 10;
  ClipOptions options;
  const video::DisplayTransform turned{video::DisplayTransform::Transpose::kClock};
  video::ClipPlan plan = video::PlanClip(info, turned, 9, AVRational{30, 1}, options);
  EXPECT_EQ(plan.edge, 500);
  EXPECT_DOUBLE_EQ(plan.crop.width, 0.5625);  // of the stored 1920x1080 frame
  EXPECT_DOUBLE_EQ(plan.crop.height, 1);
  EXPECT_DOUBLE_EQ(plan.start, 7);
  EXPECT_DOUBLE_EQ(plan.seconds, 3);
  EXPECT_EQ(plan.rate.num, 25);
  EXPECT_EQ(plan.max_frames, 75);

  options.seconds = 2;
  options.max_fps = 10;
  plan = video::PlanClip(info, {}, 1, AVRational{15, 1}, options);
  EXPECT_EQ(plan.max_frames, 20);
  EXPECT_DOUBLE_EQ(plan.crop.width, 1);  // stored as shown: 1080x1920
  EXPECT_DOUBLE_EQ(plan.crop.height, 0.5625);
  info.width = 1;
  EXPECT_EQ(video::PlanClip(info, {}, 1, AVRational{15, 1}, options).edge, 0);
}

// ---- Real clips ----

class VideoClipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitEngineRuntime().ok());
    if (!testing::HaveFfmpegTools()) GTEST_SKIP() << "ffmpeg/ffprobe not installed";
  }

  // The clip of `path`, written to a file for ffprobe; "" when it failed (with a test failure).
  std::string Clip(const std::string& path, const ClipOptions& options = {}) {
    Result<std::string> clip = MakeVideoClip(path, options);
    EXPECT_TRUE(clip.ok()) << clip.status().ToString();
    if (!clip.ok()) return "";
    bytes_ = *clip;
    const std::string out = dir_ / ("clip" + std::to_string(++clips_) + ".mp4");
    tessera::testing::WriteFile(out, bytes_);
    return out;
  }

  tessera::testing::TempDir dir_;
  std::string bytes_;  // of the last clip
  int clips_ = 0;
};

std::vector<std::string> CorpusVideos() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(tessera::testing::CorpusPath("video"), ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) files.push_back("");
  return files;
}

class VideoClipCorpusTest : public VideoClipTest,
                            public ::testing::WithParamInterface<std::string> {};

TEST_P(VideoClipCorpusTest, IsAPlayableSquareH264Mp4WithItsMoovFirst) {
  TESSERA_REQUIRE_CORPUS_FILE("video");
  const std::string& path = GetParam();
  ASSERT_FALSE(path.empty());
  Result<ProbeInfo> source = ProbeVideo(path);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  const std::string clip = Clip(path);
  ASSERT_FALSE(clip.empty());

  const ClipProbe probe = ProbeClip(clip);
  ASSERT_TRUE(probe.ok) << "ffprobe cannot read the clip";
  EXPECT_EQ(probe.video_streams, 1);
  EXPECT_EQ(probe.other_streams, 0) << "a clip is muted";
  EXPECT_EQ(probe.codec, "h264");
  EXPECT_EQ(probe.pix_fmt, "yuv420p");
  EXPECT_EQ(probe.color_space, "bt709");
  EXPECT_EQ(probe.color_range, "tv");
  const int edge = std::min(500, std::min(source->width, source->height)) & ~1;
  EXPECT_EQ(probe.width, edge);
  EXPECT_EQ(probe.height, edge);
  EXPECT_TRUE(probe.sample_aspect_ratio.empty() || probe.sample_aspect_ratio == "1:1")
      << probe.sample_aspect_ratio;
  EXPECT_EQ(probe.rotation, "") << "the pixels are upright: no display matrix";
  EXPECT_GT(probe.fps, 0.9);
  EXPECT_LE(probe.fps, 25.0001);
  const double expected = std::min(3.0, source->duration_seconds);
  EXPECT_NEAR(probe.duration, expected, 0.5);
  EXPECT_NEAR(probe.frames, probe.fps * probe.duration, 1.5) << "every frame decodes";

  const std::vector<std::string> boxes = TopLevelBoxes(bytes_);
  ASSERT_FALSE(boxes.empty()) << "the top-level boxes do not add up to the file";
  EXPECT_EQ(boxes.front(), "ftyp");
  ASSERT_GE(testing::IndexOf(boxes, "moov"), 0);
  ASSERT_GE(testing::IndexOf(boxes, "mdat"), 0);
  EXPECT_LT(testing::IndexOf(boxes, "moov"), testing::IndexOf(boxes, "mdat")) << "faststart";
  EXPECT_LT(bytes_.size(), 8u << 20);
}

INSTANTIATE_TEST_SUITE_P(Video, VideoClipCorpusTest, ::testing::ValuesIn(CorpusVideos()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = std::filesystem::path(info.param).stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name.empty() ? std::string("none") : name;
                         });

// The phone clip whose display matrix turns it a quarter: the clip's pixels are upright (as
// ffmpeg shows the source), and they are the unrotated original's turned counterclockwise.
TEST_F(VideoClipTest, RotatedPhoneClipComesOutUpright) {
  TESSERA_REQUIRE_CORPUS_FILE("video/derived-rotate90-metadata__phone.mp4");
  const std::string rotated =
      tessera::testing::CorpusPath("video/derived-rotate90-metadata__phone.mp4");
  const std::string original = tessera::testing::CorpusPath(
      "video/real-phone-1080p-h264-gps__forensics__VID_20191220_170832.mp4");
  Result<ProbeInfo> info = ProbeVideo(rotated);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_EQ(info->width, 1080);  // portrait as displayed
  ASSERT_EQ(info->height, 1920);

  const std::string clip = Clip(rotated);  // 1.6 s: the whole video, from its first frame
  ASSERT_FALSE(clip.empty());
  const vips::VImage frame = ClipFirstFrame(clip, 500);
  ASSERT_EQ(frame.width(), 500);
  const vips::VImage shown = ReferenceSquare(rotated, 0, {500, 889}, 500);
  ASSERT_EQ(shown.width(), 500);
  const double upright = MeanAbsDifference(frame, shown);
  const double turned = MeanAbsDifference(frame, shown.rot(VIPS_ANGLE_D90));
  const double flipped = MeanAbsDifference(frame, shown.rot(VIPS_ANGLE_D180));
  EXPECT_LT(upright, 4) << "as ffmpeg shows it";
  EXPECT_GT(turned, 3 * upright);
  EXPECT_GT(flipped, 3 * upright);

  const std::string unrotated = Clip(original);
  ASSERT_FALSE(unrotated.empty());
  const vips::VImage plain = ClipFirstFrame(unrotated, 500);
  ASSERT_EQ(plain.width(), 500);

  // The same stream: the centred squares hold the same pixels, a quarter turn apart.
  const double ccw = MeanAbsDifference(frame, plain.rot(VIPS_ANGLE_D270));
  const double cw = MeanAbsDifference(frame, plain.rot(VIPS_ANGLE_D90));
  EXPECT_LT(ccw, 4);
  EXPECT_GT(cw, 3 * ccw);
}

// 720x576 with 16:15 pixels is shown 768x576: the square is cut from that.
TEST_F(VideoClipTest, PixelAspectIsApplied) {
  TESSERA_REQUIRE_CORPUS_FILE("video/real-h264-576p__mecavideo__balle-jbart.mp4");
  const std::string path =
      tessera::testing::CorpusPath("video/real-h264-576p__mecavideo__balle-jbart.mp4");
  ClipOptions options;
  options.start_seconds = 2;
  const std::string clip = Clip(path, options);
  ASSERT_FALSE(clip.empty());
  const vips::VImage frame = ClipFirstFrame(clip, 500);
  ASSERT_EQ(frame.width(), 500);
  const vips::VImage shown = ReferenceSquare(path, 2, {667, 500}, 500);
  const vips::VImage square_pixels = ReferenceSquare(path, 2, {625, 500}, 500);
  ASSERT_EQ(shown.width(), 500);
  ASSERT_EQ(square_pixels.width(), 500);
  const double with_aspect = MeanAbsDifference(frame, shown);
  EXPECT_LT(with_aspect, 4);
  EXPECT_GT(MeanAbsDifference(frame, square_pixels), 2 * with_aspect);
}

TEST_F(VideoClipTest, StartsWhereAsked) {
  TESSERA_REQUIRE_CORPUS_FILE("video/real-h264-720p-14s__imageio__cockatoo.mp4");
  const std::string path =
      tessera::testing::CorpusPath("video/real-h264-720p-14s__imageio__cockatoo.mp4");
  ClipOptions options;
  options.start_seconds = 7;
  const std::string clip = Clip(path, options);
  ASSERT_FALSE(clip.empty());
  const vips::VImage frame = ClipFirstFrame(clip, 500);
  ASSERT_EQ(frame.width(), 500);
  const vips::VImage at7 = ReferenceSquare(path, 7, {889, 500}, 500);
  const vips::VImage at0 = ReferenceSquare(path, 0, {889, 500}, 500);
  const vips::VImage at10 = ReferenceSquare(path, 10, {889, 500}, 500);
  ASSERT_EQ(at7.width(), 500);
  const double here = MeanAbsDifference(frame, at7);
  EXPECT_LT(here, 4);
  EXPECT_GT(MeanAbsDifference(frame, at0), 2 * here);
  EXPECT_GT(MeanAbsDifference(frame, at10), 2 * here);
  EXPECT_NEAR(ProbeClip(clip).duration, 3, 0.2);

  options.start_seconds = 13.5;  // too late for 3 s: the last 3 s
  const std::string late = Clip(path, options);
  ASSERT_FALSE(late.empty());
  EXPECT_NEAR(ProbeClip(late).duration, 3, 0.2);
  const vips::VImage late_frame = ClipFirstFrame(late, 500);
  const vips::VImage at11 = ReferenceSquare(path, 11, {889, 500}, 500);
  ASSERT_EQ(late_frame.width(), 500);
  ASSERT_EQ(at11.width(), 500);
  EXPECT_LT(MeanAbsDifference(late_frame, at11), 4);
}

// By default the clip starts at the still thumbnail's frame: past the black first 2 seconds
// (the picker chooses the keyframe at 3.8 s of this 6 s video; 2 s from there fit).
TEST_F(VideoClipTest, DefaultStartIsTheStillThumbnailsFrame) {
  TESSERA_REQUIRE_CORPUS_FILE("video/derived-black-first-2s__cockatoo.mp4");
  const std::string path =
      tessera::testing::CorpusPath("video/derived-black-first-2s__cockatoo.mp4");
  Result<Decoded> still = DecodeVideo(path, testing::Box(889));
  ASSERT_TRUE(still.ok()) << still.status().ToString();
  ASSERT_EQ(still->image.width(), 889);
  ASSERT_EQ(still->image.height(), 500);
  const vips::VImage still_square = still->image.extract_area((889 - 500) / 2, 0, 500, 500);

  ClipOptions options;
  options.seconds = 2;
  const std::string clip = Clip(path, options);
  ASSERT_FALSE(clip.empty());
  const vips::VImage frame = ClipFirstFrame(clip, 500);
  ASSERT_EQ(frame.width(), 500);
  EXPECT_GT(testing::Stats(frame).luma_stddev, 20) << "not the black start";
  const double same = MeanAbsDifference(frame, still_square);
  EXPECT_LT(same, 4);
  EXPECT_NEAR(ProbeClip(clip).duration, 2, 0.05);

  options.start_seconds = 1;
  const std::string early = Clip(path, options);
  ASSERT_FALSE(early.empty());
  const vips::VImage black = ClipFirstFrame(early, 500);
  ASSERT_EQ(black.width(), 500);
  EXPECT_LT(testing::Stats(black).luma_mean, 20);
  EXPECT_GT(MeanAbsDifference(black, still_square), 5 * same);

  options.seconds = 3;  // 3.8 s + 3 s is past the end: the last 3 s, a little before the still
  options.start_seconds.reset();
  const std::string longer = Clip(path, options);
  ASSERT_FALSE(longer.empty());
  EXPECT_NEAR(ProbeClip(longer).duration, 3, 0.05);
  const vips::VImage at3 = ReferenceSquare(path, 3, {889, 500}, 500);
  ASSERT_EQ(at3.width(), 500);
  EXPECT_LT(MeanAbsDifference(ClipFirstFrame(longer, 500), at3), 4);
}

TEST_F(VideoClipTest, OptionsAreHonoured) {
  TESSERA_REQUIRE_CORPUS_FILE("video/real-h264-720p-14s__imageio__cockatoo.mp4");
  const std::string path =
      tessera::testing::CorpusPath("video/real-h264-720p-14s__imageio__cockatoo.mp4");
  ClipOptions options;
  options.edge = 101;  // odd: 100
  options.seconds = 1;
  options.max_fps = 10;
  options.start_seconds = 4;
  const std::string small = Clip(path, options);
  ASSERT_FALSE(small.empty());
  const ClipProbe probe = ProbeClip(small);
  EXPECT_EQ(probe.width, 100);
  EXPECT_EQ(probe.height, 100);
  EXPECT_DOUBLE_EQ(probe.fps, 10);
  EXPECT_EQ(probe.frames, 10);
  EXPECT_NEAR(probe.duration, 1, 0.05);
  const size_t small_bytes = bytes_.size();

  options.crf = 12;  // better quality: larger
  ASSERT_FALSE(Clip(path, options).empty());
  EXPECT_GT(bytes_.size(), 2 * small_bytes);
}

// The source runs at 20 fps, under the cap: its own rate is kept, frame for frame.
TEST_F(VideoClipTest, SlowerVideosKeepTheirRate) {
  TESSERA_REQUIRE_CORPUS_FILE("video/real-h264-720p-14s__imageio__cockatoo.mp4");
  const std::string clip =
      Clip(tessera::testing::CorpusPath("video/real-h264-720p-14s__imageio__cockatoo.mp4"));
  ASSERT_FALSE(clip.empty());
  const ClipProbe probe = ProbeClip(clip);
  EXPECT_DOUBLE_EQ(probe.fps, 20);
  EXPECT_EQ(probe.frames, 60);
}

// An HDR (PQ, 10-bit HEVC) rendition of an SDR picture gives the SDR picture's clip: the still's
// tone mapping, then BT.709. Without it the clip came out 22 levels darker, with less contrast.
TEST_F(VideoClipTest, HdrIsToneMappedLikeTheStill) {
  TESSERA_REQUIRE_CORPUS_FILE("video/real-h264-720p-14s__imageio__cockatoo.mp4");
  const std::string still = dir_ / "cockatoo.png";
  ASSERT_TRUE(testing::Ffmpeg("-ss 3 -i " +
                              testing::Quote(tessera::testing::CorpusPath(
                                  "video/real-h264-720p-14s__imageio__cockatoo.mp4")) +
                              " -frames:v 1 -vf scale=640:360 " + testing::Quote(still)));
  auto encode = [&](const std::string& options, const std::string& name) {
    const std::string out = dir_ / name;
    EXPECT_TRUE(testing::Ffmpeg("-loop 1 -i " + testing::Quote(still) + " -t 1 -r 10 " + options +
                                " " + testing::Quote(out)));
    return out;
  };
  const std::string sdr = encode(
      "-vf scale=out_color_matrix=bt709:out_range=tv,format=yuv420p -c:v libx264 "
      "-colorspace bt709 -color_primaries bt709 -color_trc bt709",
      "sdr.mp4");
  const std::string pq = encode(
      "-vf zscale=tin=bt709:pin=bt709:min=gbr:rin=pc:t=smpte2084:p=bt2020:m=bt2020nc:r=tv:npl=100,"
      "format=yuv420p10le -c:v libx265 -x265-params "
      "colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:log-level=error -tag:v hvc1",
      "pq.mp4");
  const std::string sdr_clip = Clip(sdr);
  const std::string pq_clip = Clip(pq);
  ASSERT_FALSE(sdr_clip.empty());
  ASSERT_FALSE(pq_clip.empty());
  const vips::VImage sdr_frame = ClipFirstFrame(sdr_clip, 360);
  const vips::VImage pq_frame = ClipFirstFrame(pq_clip, 360);
  ASSERT_EQ(sdr_frame.width(), 360);
  ASSERT_EQ(pq_frame.width(), 360);
  const testing::RgbStats sdr_stats = testing::Stats(sdr_frame);
  const testing::RgbStats pq_stats = testing::Stats(pq_frame);
  EXPECT_NEAR(pq_stats.luma_mean, sdr_stats.luma_mean, 5);
  EXPECT_GT(pq_stats.luma_stddev, 0.8 * sdr_stats.luma_stddev);
  EXPECT_LT(MeanAbsDifference(pq_frame, sdr_frame), 5);
}

TEST_F(VideoClipTest, ClipOverTheByteLimitIsTooLarge) {
  TESSERA_REQUIRE_CORPUS_FILE("video/h264-720p__forensics__movie-hello.mp4");
  const std::string path =
      tessera::testing::CorpusPath("video/h264-720p__forensics__movie-hello.mp4");
  ClipOptions options;
  options.crf = 0;  // lossless: large
  options.max_bytes = 100'000;
  Result<std::string> clip = MakeVideoClip(path, options);
  ASSERT_FALSE(clip.ok());
  EXPECT_EQ(clip.status().code(), StatusCode::kTooLarge) << clip.status().ToString();
  EXPECT_TRUE(Contains(clip.status().message(), path)) << clip.status().ToString();
  EXPECT_TRUE(Contains(clip.status().message(), "over 100000 bytes")) << clip.status().ToString();

  options.max_bytes = 8 << 20;
  EXPECT_TRUE(MakeVideoClip(path, options).ok());
}

// Audio with cover art has a picture but nothing that moves.
TEST_F(VideoClipTest, CoverArtIsNoClip) {
  const std::string cover = dir_ / "cover.png";
  const std::string song = dir_ / "song.mp3";
  ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i testsrc2=size=320x320:rate=1 -frames:v 1 " +
                              testing::Quote(cover)));
  ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i sine=duration=2 -i " + testing::Quote(cover) +
                              " -map 0 -map 1 -c:a libmp3lame -c:v png -disposition:v "
                              "attached_pic " +
                              testing::Quote(song)));
  ASSERT_TRUE(DecodeVideo(song, testing::Box(64)).ok()) << "the still thumbnail is the cover";
  Result<std::string> clip = MakeVideoClip(song, {});
  ASSERT_FALSE(clip.ok());
  EXPECT_EQ(clip.status().code(), StatusCode::kUnsupported) << clip.status().ToString();
  EXPECT_EQ(clip.status().message(), song + ": only a still picture (cover art): no clip");
}

TEST_F(VideoClipTest, BadFilesFailNamingTheFile) {
  TESSERA_REQUIRE_CORPUS_FILE("bad");
  struct Case {
    const char* file;
    StatusCode code;
    const char* reason;
  };
  for (const Case& c : {
           Case{"bad/truncated-50pct__cockatoo.mp4", StatusCode::kCorrupt, "moov atom not found"},
           Case{"bad/audio-only__forensics__debian.mp3", StatusCode::kUnsupported,
                "no video stream"},
           Case{"orientation/orientation-6.jpg", StatusCode::kUnsupported, "not a video"},
       }) {
    SCOPED_TRACE(c.file);
    const std::string path = tessera::testing::CorpusPath(c.file);
    Result<std::string> clip = MakeVideoClip(path, {});
    ASSERT_FALSE(clip.ok());
    EXPECT_EQ(clip.status().code(), c.code) << clip.status().ToString();
    EXPECT_TRUE(Contains(clip.status().message(), path)) << clip.status().ToString();
    EXPECT_TRUE(Contains(clip.status().message(), c.reason)) << clip.status().ToString();
  }
}

}  // namespace
}  // namespace tessera::decoders
