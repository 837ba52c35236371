// The video decoder on clips derived at test time with the ffmpeg program: HDR tone mapping,
// sample aspect ratio, YCbCr range and matrix, rotation against ffmpeg's own autorotation,
// cover art, unknown duration, odd file names, playlists, oversized frames.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "src/decoders/video.h"
#include "src/decoders/video_test_util.h"

namespace tessera::decoders {
namespace {

using testing::Box;
using testing::Ffmpeg;
using testing::Quote;
using testing::RgbStats;
using testing::Stats;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class VideoDerivedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitEngineRuntime().ok());
    if (!testing::HaveFfmpegTools()) GTEST_SKIP() << "the ffmpeg and ffprobe programs are missing";
  }

  std::string Path(const std::string& name) const { return dir_ / name; }

  // A 320x180 still of ffmpeg's testsrc2 pattern (colour bars, text: asymmetric).
  std::string Pattern() {
    const std::string png = Path("pattern.png");
    if (!tessera::testing::PathExists(png)) {
      EXPECT_TRUE(Ffmpeg("-f lavfi -i testsrc2=size=320x180:rate=1 -frames:v 1 " + Quote(png)));
    }
    return png;
  }

  // One second of `still` at 10 fps through `encode` (ffmpeg output options).
  std::string StillClip(const std::string& still, const std::string& encode,
                        const std::string& name) {
    const std::string out = Path(name);
    EXPECT_TRUE(Ffmpeg("-loop 1 -i " + Quote(still) + " -t 1 -r 10 " + encode + " " + Quote(out)))
        << name;
    return out;
  }

  tessera::testing::TempDir dir_;
};

// --- HDR ------------------------------------------------------------------------------------

// An HDR rendition of an SDR picture (SDR white at 100 nits) must come out looking like the
// SDR picture: similar brightness, contrast not collapsed.
//
// Measured (cockatoo still, 256x144; luma mean / stddev in 8-bit levels):
//   SDR original 107.7 / 46.0
//   PQ  tone-mapped 106.9 / 44.2     naive (no transfer conversion) 75.5 / 23.3
//   HLG tone-mapped 106.9 / 44.2     naive 69.2 / 30.2
//   (the usual hable curve instead of mobius: 71.6 / 29.6 for both, which would fail too)
bool LooksLikeSdr(const RgbStats& hdr, const RgbStats& sdr) {
  return std::abs(hdr.luma_mean - sdr.luma_mean) <= 12 && hdr.luma_stddev >= 0.8 * sdr.luma_stddev;
}

TEST_F(VideoDerivedTest, HdrPqAndHlgAreToneMappedToSdr) {
  TESSERA_REQUIRE_CORPUS_FILE("video/real-h264-720p-14s__imageio__cockatoo.mp4");
  const std::string still = Path("cockatoo.png");
  ASSERT_TRUE(Ffmpeg(
      "-ss 3 -i " +
      Quote(tessera::testing::CorpusPath("video/real-h264-720p-14s__imageio__cockatoo.mp4")) +
      " -frames:v 1 -vf scale=640:360 " + Quote(still)));
  const std::string sdr = StillClip(
      still,
      "-vf scale=out_color_matrix=bt709:out_range=tv,format=yuv420p -c:v libx265 "
      "-x265-params log-level=error -colorspace bt709 -color_primaries bt709 -color_trc bt709 "
      "-tag:v hvc1",
      "sdr.mp4");
  Result<Decoded> reference = DecodeVideo(sdr, Box(256));
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  const RgbStats sdr_stats = Stats(reference->image);

  for (const std::string transfer : {"smpte2084", "arib-std-b67"}) {
    SCOPED_TRACE(transfer);
    const std::string hdr =
        StillClip(still,
                  "-vf zscale=tin=bt709:pin=bt709:min=gbr:rin=pc:t=" + transfer +
                      ":p=bt2020:m=bt2020nc:r=tv:npl=100,format=yuv420p10le -c:v libx265 "
                      "-x265-params colorprim=bt2020:transfer=" +
                      transfer + ":colormatrix=bt2020nc:log-level=error -tag:v hvc1",
                  transfer + ".mp4");
    Result<Decoded> decoded = DecodeVideo(hdr, Box(256));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->info.bits_per_sample, 10);
    ASSERT_EQ(decoded->image.width(), 256);
    ASSERT_EQ(decoded->image.height(), 144);
    const RgbStats stats = Stats(decoded->image);
    EXPECT_TRUE(LooksLikeSdr(stats, sdr_stats))
        << "HDR " << stats.luma_mean << " / " << stats.luma_stddev << " vs SDR "
        << sdr_stats.luma_mean << " / " << sdr_stats.luma_stddev;
    // Colours too (BT.2020 primaries converted back to BT.709).
    EXPECT_NEAR(stats.r, sdr_stats.r, 10);
    EXPECT_NEAR(stats.g, sdr_stats.g, 10);
    EXPECT_NEAR(stats.b, sdr_stats.b, 10);

    // The premise: without tone mapping, the same check fails.
    const std::string naive = testing::FfmpegFirstFrameRgb(hdr, {256, 144});
    ASSERT_FALSE(naive.empty());
    const RgbStats naive_stats = Stats(testing::FromRgbBytes(naive, 256, 144));
    EXPECT_FALSE(LooksLikeSdr(naive_stats, sdr_stats))
        << "naive " << naive_stats.luma_mean << " / " << naive_stats.luma_stddev;
  }
}

// --- Geometry -------------------------------------------------------------------------------

TEST_F(VideoDerivedTest, SampleAspectRatioGivesTheDisplayShape) {
  struct Case {
    const char* sar;
    Size display;
    Size at256;
  };
  for (const Case& c : {Case{"2/1", {640, 240}, {256, 96}}, Case{"1/2", {160, 240}, {160, 240}},
                        Case{"16/15", {341, 240}, {256, 180}}}) {
    SCOPED_TRACE(c.sar);
    const std::string clip = Path("sar.mkv");
    ASSERT_TRUE(Ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=10:duration=1 -vf setsar=" +
                       std::string(c.sar) + " -c:v libx264 -pix_fmt yuv420p " + Quote(clip)));
    Result<ProbeInfo> probe = ProbeVideo(clip);
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    EXPECT_EQ((Size{probe->width, probe->height}), c.display);
    Result<Decoded> decoded = DecodeVideo(clip, Box(256));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ((Size{decoded->image.width(), decoded->image.height()}), c.at256);
  }
}

// Upright exactly as ffmpeg's own autorotation shows it, for each quarter turn.
TEST_F(VideoDerivedTest, RotationMatchesFfmpegAutorotate) {
  const std::string plain = StillClip(Pattern(), "-c:v libx264 -pix_fmt yuv444p", "plain.mp4");
  for (const char* rotate : {"90", "180", "270"}) {
    SCOPED_TRACE(rotate);
    const std::string clip = Path(std::string("rotate") + rotate + ".mp4");
    ASSERT_TRUE(Ffmpeg("-i " + Quote(plain) + " -c copy -metadata:s:v:0 rotate=" + rotate + " " +
                       Quote(clip)));
    Result<Decoded> decoded = DecodeVideo(clip, Box(160));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    const Size size{decoded->image.width(), decoded->image.height()};
    EXPECT_EQ(size, (std::string(rotate) == "180" ? Size{160, 90} : Size{90, 160}));
    const std::string shown = testing::FfmpegFirstFrameRgb(clip, size);
    ASSERT_FALSE(shown.empty());
    const vips::VImage expected = testing::FromRgbBytes(shown, size.width, size.height);
    EXPECT_LT(testing::MeanAbsDifference(decoded->image, expected), 6);
    // ... and the comparison can tell: half a turn off is far away.
    EXPECT_GT(testing::MeanAbsDifference(decoded->image, expected.rot180()), 20);
  }
}

// --- Colour ---------------------------------------------------------------------------------

// A flat colour encoded with each matrix and range (tagged, and untagged at SD and HD sizes,
// where BT.601 and BT.709 are assumed), in 8, 10 and 12 bits, decodes to the same RGB. With
// 0x30C050, mistaking BT.709 for BT.601 is 22 levels off in green; limited for full range, 8
// to 10 levels.
TEST_F(VideoDerivedTest, RangeMatrixAndDepthGiveTheTrueColour) {
  struct Case {
    const char* matrix;  // scale filter name
    const char* range;   // tv or pc
    const char* tags;    // ffmpeg output options
    const char* size;
    const char* pix_fmt;
    const char* codec;
    int bits;
  };
  constexpr const char* k709 = "-colorspace bt709 -color_primaries bt709 -color_trc bt709";
  constexpr const char* k601 =
      "-colorspace smpte170m -color_primaries smpte170m -color_trc smpte170m";
  const Case cases[] = {
      {"bt709", "tv", k709, "128x96", "yuv420p", "libx264", 8},
      {"bt709", "pc", k709, "128x96", "yuv420p", "libx264", 8},
      {"bt601", "tv", k601, "128x96", "yuv420p", "libx264", 8},
      {"bt601", "pc", k601, "128x96", "yuv420p", "libx264", 8},
      {"bt601", "tv", "", "128x96", "yuv420p", "libx264", 8},    // untagged SD: BT.601
      {"bt709", "tv", "", "1280x720", "yuv420p", "libx264", 8},  // untagged HD: BT.709
      {"bt709", "tv", k709, "128x96", "yuv420p10le", "libx264", 10},
      {"bt601", "pc", k601, "128x96", "yuv444p12le", "libx265", 12},
  };
  for (const uint32_t colour : {0x3050C0u, 0x30C050u}) {
    const int r = colour >> 16, g = (colour >> 8) & 0xFF, b = colour & 0xFF;
    for (const Case& c : cases) {
      SCOPED_TRACE(::testing::Message()
                   << std::hex << colour << std::dec << " " << c.matrix << " " << c.range << " ["
                   << c.tags << "] " << c.size << " " << c.pix_fmt);
      const std::string clip = Path("colour.mp4");
      char source[128];
      std::snprintf(source, sizeof(source), "color=c=0x%06X:size=%s:rate=10:duration=0.5", colour,
                    c.size);
      ASSERT_TRUE(Ffmpeg(
          "-f lavfi -i " + std::string(source) + " -vf scale=out_color_matrix=" + c.matrix +
          ":out_range=" + c.range + ",format=" + c.pix_fmt + " -c:v " + c.codec +
          " -preset ultrafast " +
          (c.tags[0] != '\0' ? std::string(c.tags) + " -color_range " + c.range : std::string()) +
          (std::string(c.codec) == "libx265" ? " -x265-params log-level=error " : " ") +
          Quote(clip)));
      Result<Decoded> decoded = DecodeVideo(clip, Box(64));
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
      EXPECT_EQ(decoded->info.bits_per_sample, c.bits);
      const RgbStats stats = Stats(decoded->image);
      EXPECT_NEAR(stats.r, r, 4);
      EXPECT_NEAR(stats.g, g, 4);
      EXPECT_NEAR(stats.b, b, 4);
    }
  }
}

// --- Streams and files ----------------------------------------------------------------------

TEST_F(VideoDerivedTest, CoverArtOfAnAudioFileIsThePicture) {
  const std::string mp3 = Path("song.mp3");
  ASSERT_TRUE(Ffmpeg("-f lavfi -i sine=frequency=440:duration=1 -i " + Quote(Pattern()) +
                     " -map 0:a -map 1:v -c:a libmp3lame -c:v mjpeg -q:v 2 "
                     "-disposition:v attached_pic -id3v2_version 3 " +
                     Quote(mp3)));
  Result<Decoded> decoded = DecodeVideo(mp3, Box(256));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->image.width(), 256);
  ASSERT_EQ(decoded->image.height(), 144);
  const std::string pattern = testing::FfmpegFirstFrameRgb(Pattern(), {256, 144});
  ASSERT_FALSE(pattern.empty());
  EXPECT_LT(testing::MeanAbsDifference(decoded->image, testing::FromRgbBytes(pattern, 256, 144)),
            6);
}

TEST_F(VideoDerivedTest, UnknownDurationAndSingleFrameClipsDecode) {
  // Matroska written to a pipe cannot go back to write its duration.
  const std::string unknown = Path("unknown-duration.mkv");
  ASSERT_TRUE(
      testing::Run("ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=320x180:rate=10:duration=3 "
                   "-c:v libx264 -f matroska pipe:1 > " +
                   Quote(unknown))
          .empty());
  const std::string single = Path("single.mp4");
  ASSERT_TRUE(Ffmpeg("-i " + Quote(Pattern()) + " -frames:v 1 -c:v libx264 -pix_fmt yuv420p " +
                     Quote(single)));
  for (const std::string& clip : {unknown, single}) {
    SCOPED_TRACE(clip);
    Result<Decoded> decoded = DecodeVideo(clip, Box(256));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->image.width(), 256);
    EXPECT_EQ(decoded->image.height(), 144);
    EXPECT_GT(Stats(decoded->image).luma_stddev, 20);
  }
  EXPECT_EQ(ProbeVideo(unknown)->duration_seconds, 0);
}

TEST_F(VideoDerivedTest, TruncatedWebmStillGivesAFrame) {
  TESSERA_REQUIRE_CORPUS_FILE("video/derived-vp9__cockatoo.webm");
  const std::string whole =
      tessera::testing::ReadFile(tessera::testing::CorpusPath("video/derived-vp9__cockatoo.webm"));
  const std::string cut = Path("cut.webm");
  tessera::testing::WriteFile(cut, whole.substr(0, whole.size() * 4 / 10));
  Result<Decoded> decoded = DecodeVideo(cut, Box(256));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->image.width(), 256);
  EXPECT_GT(Stats(decoded->image).luma_stddev, 20);
}

// A relative name with a colon is a file, not a protocol ("a:" would be one).
TEST_F(VideoDerivedTest, OddFileNamesAreFiles) {
  const std::string plain = StillClip(Pattern(), "-c:v libx264 -pix_fmt yuv420p", "plain.mp4");
  tessera::testing::CopyFile(plain, Path("a:vidéo 1.mp4"));
  const std::string cwd = std::filesystem::current_path();
  ASSERT_EQ(::chdir(dir_.path().c_str()), 0);
  Result<Decoded> decoded = DecodeVideo("a:vidéo 1.mp4", Box(128));
  ASSERT_EQ(::chdir(cwd.c_str()), 0);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->image.width(), 128);
}

// Playlists name other files: the decoder reads only the file it is given.
TEST_F(VideoDerivedTest, PlaylistsAreRefused) {
  const std::string ts = Path("segment.ts");
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i testsrc2=size=160x90:rate=10:duration=1 -c:v libx264 " + Quote(ts)));
  tessera::testing::WriteFile(Path("list.ffconcat"), "ffconcat version 1.0\nfile '" + ts + "'\n");
  tessera::testing::WriteFile(
      Path("list.m3u8"),
      "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n" + ts + "\n#EXT-X-ENDLIST\n");
  for (const char* name : {"list.ffconcat", "list.m3u8"}) {
    SCOPED_TRACE(name);
    const Status status = DecodeVideo(Path(name), Box(128)).status();
    EXPECT_EQ(status.code(), StatusCode::kUnsupported) << status.ToString();
    EXPECT_TRUE(Contains(status.message(), Path(name))) << status.ToString();
  }
}

// MPEG-TS indexes every frame as a keyframe, so seeks land between keyframes: the decoder
// falls back to decoding forward from the start, and still skips a black first second.
TEST_F(VideoDerivedTest, MpegTsDecodesForwardFromTheStart) {
  const std::string ts = Path("clip.ts");
  ASSERT_TRUE(Ffmpeg(
      "-f lavfi -i testsrc2=size=320x180:rate=10:duration=3,fade=t=in:st=1:d=0.1 -c:v libx264 "
      "-x264-params scenecut=0 " +  // one keyframe, at the (black) start
      Quote(ts)));
  Result<Decoded> decoded = DecodeVideo(ts, Box(256));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->image.width(), 256);
  EXPECT_GT(Stats(decoded->image).luma_mean, 40);
  EXPECT_GT(Stats(decoded->image).luma_stddev, 20);
}

// An AVI written to a pipe has no index (no seeking) and a placeholder duration (962 s for a
// 3 s clip): candidates come from decoding forward from the start, up to its end.
TEST_F(VideoDerivedTest, AviWithoutIndexDecodesForward) {
  const std::string avi = Path("piped.avi");
  ASSERT_TRUE(testing::Run("ffmpeg -nostdin -v error -f lavfi "
                           "-i testsrc2=size=320x180:rate=10:duration=3,fade=t=in:st=1:d=0.1 "
                           "-c:v libx264 -f avi pipe:1 > " +
                           Quote(avi))
                  .empty());
  Result<Decoded> decoded = DecodeVideo(avi, Box(256));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->image.width(), 256);
  EXPECT_GT(Stats(decoded->image).luma_mean, 40);
}

// An MJPEG clip whose frame headers declare 12000x12000 (144 MP) but hold 160x120 worth of
// data fails cleanly and quickly (the probe and the decoder both run under max_pixels).
TEST_F(VideoDerivedTest, OversizedFramesAreRefused) {
  const std::string clip = Path("mjpeg.avi");
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i testsrc2=size=160x120:rate=10:duration=0.3 -c:v mjpeg " + Quote(clip)));
  std::string bytes = tessera::testing::ReadFile(clip);
  int patched = 0;
  for (size_t i = 0; i + 9 < bytes.size(); ++i) {  // every SOF0: FFC0, length, precision, H, W
    if (static_cast<uint8_t>(bytes[i]) == 0xFF && static_cast<uint8_t>(bytes[i + 1]) == 0xC0) {
      bytes[i + 5] = bytes[i + 7] = static_cast<char>(12000 >> 8);
      bytes[i + 6] = bytes[i + 8] = static_cast<char>(12000 & 0xFF);
      ++patched;
    }
  }
  ASSERT_GT(patched, 0);
  tessera::testing::WriteFile(clip, bytes);
  const auto start = std::chrono::steady_clock::now();
  const Status status = DecodeVideo(clip, Box(128)).status();
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(status.IsPermanentFileFailure()) << status.ToString();
  EXPECT_TRUE(Contains(status.message(), clip)) << status.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// An uncompressed AVI whose header declares 12000x12000 (144 MP) frames is refused as too
// large, before any frame is decoded.
TEST_F(VideoDerivedTest, OversizedDeclaredFramesAreTooLarge) {
  const std::string clip = Path("raw.avi");
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i testsrc2=size=32x32:rate=5:duration=0.4 -c:v rawvideo "
             "-pix_fmt bgr24 " +
             Quote(clip)));
  std::string bytes = tessera::testing::ReadFile(clip);
  const size_t strf = bytes.find("strf");  // chunk id, size, then BITMAPINFOHEADER
  ASSERT_NE(strf, std::string::npos);
  for (size_t at : {strf + 12, strf + 16}) {  // biWidth, biHeight (little-endian int32)
    const int32_t edge = 12000;
    std::memcpy(bytes.data() + at, &edge, sizeof(edge));
  }
  tessera::testing::WriteFile(clip, bytes);
  for (const Status& status : {ProbeVideo(clip).status(), DecodeVideo(clip, Box(128)).status()}) {
    EXPECT_EQ(status.code(), StatusCode::kTooLarge) << status.ToString();
    EXPECT_TRUE(Contains(status.message(), clip)) << status.ToString();
  }
}

}  // namespace
}  // namespace tessera::decoders
