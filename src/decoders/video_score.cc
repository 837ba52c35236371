#include "src/decoders/video_score.h"

#include <fmt/format.h>

extern "C" {
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "src/decoders/video_ffmpeg.h"

namespace tessera::decoders::video {
namespace {

// Thresholds on a 0..255 grey scale, chosen on the corpus: a fade from black is rejected
// until its mean passes kMinMean; a slate with a line of text fails kMaxDominant.
constexpr double kMinMean = 20;
constexpr double kMaxMean = 240;
constexpr double kMinStddev = 10;
constexpr double kMinDetail = 1.5;
constexpr double kMaxDominant = 0.85;
constexpr int kScoreEdge = 64;

}  // namespace

bool FrameScore::Usable() const {
  return mean >= kMinMean && mean <= kMaxMean && stddev >= kMinStddev && detail >= kMinDetail &&
         dominant <= kMaxDominant;
}

std::string FrameScore::ToString() const {
  return fmt::format("mean {:.1f} stddev {:.1f} detail {:.2f} dominant {:.2f}{}", mean, stddev,
                     detail, dominant, Usable() ? "" : " (rejected)");
}

bool BetterThan(const FrameScore& a, const FrameScore& b) {
  if (a.Usable() != b.Usable()) return a.Usable();
  if (a.Usable()) return a.detail > b.detail;
  return a.stddev > b.stddev;
}

FrameScore ScoreGrey(const uint8_t* grey, int width, int height, int stride) {
  std::array<uint64_t, 256> histogram{};
  double sum = 0;
  double sum_squares = 0;
  double gradient = 0;
  uint64_t gradient_count = 0;
  for (int y = 0; y < height; ++y) {
    const uint8_t* row = grey + static_cast<size_t>(y) * stride;
    const uint8_t* below = y + 1 < height ? row + stride : nullptr;
    for (int x = 0; x < width; ++x) {
      const int v = row[x];
      ++histogram[v];
      sum += v;
      sum_squares += static_cast<double>(v) * v;
      if (x + 1 < width) {
        gradient += std::abs(v - row[x + 1]);
        ++gradient_count;
      }
      if (below != nullptr) {
        gradient += std::abs(v - below[x]);
        ++gradient_count;
      }
    }
  }
  const double n = static_cast<double>(width) * height;
  FrameScore score;
  score.mean = sum / n;
  score.stddev = std::sqrt(std::max(0.0, sum_squares / n - score.mean * score.mean));
  score.detail = gradient_count > 0 ? gradient / gradient_count : 0;
  uint64_t window = 0;  // pixels within +-8 of each level, as a sliding sum
  uint64_t best = 0;
  for (int v = 0; v <= 8; ++v) window += histogram[v];
  for (int level = 0; level < 256; ++level) {
    best = std::max(best, window);
    if (level + 9 < 256) window += histogram[level + 9];
    if (level - 8 >= 0) window -= histogram[level - 8];
  }
  score.dominant = static_cast<double>(best) / n;
  return score;
}

Result<FrameScore> ScoreFrame(const AVFrame& frame) {
  const auto format = static_cast<AVPixelFormat>(frame.format);
  if (frame.width <= 0 || frame.height <= 0 || !sws_isSupportedInput(format)) {
    const char* name = av_get_pix_fmt_name(format);
    return Status::Internal(fmt::format("cannot score a {}x{} {} frame", frame.width, frame.height,
                                        name != nullptr ? name : "?"));
  }
  const double shrink =
      std::max(1.0, static_cast<double>(std::max(frame.width, frame.height)) / kScoreEdge);
  const int width = std::max(1, static_cast<int>(std::lround(frame.width / shrink)));
  const int height = std::max(1, static_cast<int>(std::lround(frame.height / shrink)));
  SwsPtr sws(sws_getContext(frame.width, frame.height, format, width, height, AV_PIX_FMT_GRAY8,
                            SWS_AREA, nullptr, nullptr, nullptr));
  if (sws == nullptr) return Status::Internal("swscale: cannot make a grey copy for scoring");
  int* inv_table = nullptr;
  int* table = nullptr;
  int src_full = 0, dst_full = 0, brightness = 0, contrast = 0, saturation = 0;
  if (sws_getColorspaceDetails(sws.get(), &inv_table, &src_full, &table, &dst_full, &brightness,
                               &contrast, &saturation) >= 0 &&
      frame.color_range != AVCOL_RANGE_UNSPECIFIED) {
    sws_setColorspaceDetails(sws.get(), inv_table, frame.color_range == AVCOL_RANGE_JPEG, table, 1,
                             brightness, contrast, saturation);
  }
  std::vector<uint8_t> grey(static_cast<size_t>(width) * height);
  uint8_t* dst[4] = {grey.data(), nullptr, nullptr, nullptr};
  int dst_stride[4] = {width, 0, 0, 0};
  sws_scale(sws.get(), frame.data, frame.linesize, 0, frame.height, dst, dst_stride);
  return ScoreGrey(grey.data(), width, height, width);
}

}  // namespace tessera::decoders::video
