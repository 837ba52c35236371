// Scores a candidate video frame on a small grey copy, so the decoder can skip black, white,
// flat or near-uniform frames (fade-ins, title cards, slates) and keep the most detailed one.
#ifndef TESSERA_DECODERS_VIDEO_SCORE_H_
#define TESSERA_DECODERS_VIDEO_SCORE_H_

extern "C" {
#include <libavutil/frame.h>
}

#include <cstdint>
#include <string>

#include "tessera/status.h"

namespace tessera::decoders::video {

struct FrameScore {
  double mean = 0;      // grey level, 0..255
  double stddev = 0;    // contrast
  double detail = 0;    // mean absolute difference between neighbouring pixels
  double dominant = 1;  // share of pixels within +-8 grey levels of the most common level

  // Not black, white, flat or near-uniform: worth showing as the video's thumbnail.
  bool Usable() const;
  std::string ToString() const;
};

// True when `a` makes a better thumbnail than `b`: usable before unusable, then the more
// detailed (usable) or the less flat (unusable).
bool BetterThan(const FrameScore& a, const FrameScore& b);

// Scores a grey image, row-major with `stride` bytes per row.
// REQUIRES: width > 0, height > 0, stride >= width.
FrameScore ScoreGrey(const uint8_t* grey, int width, int height, int stride);

// Scores a decoded frame on a grey copy at most 64 pixels wide or high (swscale, area).
// Internal when swscale cannot read the frame's pixel format.
Result<FrameScore> ScoreFrame(const AVFrame& frame);

}  // namespace tessera::decoders::video

#endif  // TESSERA_DECODERS_VIDEO_SCORE_H_
