// Turns the chosen video frame into the thumbnail image with one small libavfilter graph
// (buffer -> ... -> buffersink): scaled first (swscale lanczos, reading the frame's own YCbCr
// matrix and range, to full-range RGB), HDR tone-mapped to SDR BT.709 on the small frame, and
// turned upright last.
#ifndef TESSERA_DECODERS_VIDEO_CONVERT_H_
#define TESSERA_DECODERS_VIDEO_CONVERT_H_

#include <string>
#include <vips/vips8>

#include "src/decoders/video_ffmpeg.h"
#include "src/decoders/video_geometry.h"
#include "tessera/status.h"

namespace tessera::decoders::video {

// PQ (SMPTE ST 2084) or HLG (ARIB STD-B67) transfer.
bool IsHdr(const AVFrame& frame);

// Fills in colour properties the stream left unspecified, as players guess them: BT.709
// matrix for HD frames (1280 wide or 720 high and up), BT.601 below; for HDR, BT.2020
// primaries and matrix; limited range for YCbCr.
void FillUnspecifiedColour(AVFrame& frame);

// The filter chain from `frame` (after FillUnspecifiedColour) to RGB24 of `display` size,
// upright. For logs and tests.
std::string ConversionFilters(const AVFrame& frame, Size display,
                              const DisplayTransform& transform);

// `frame` as an upright 8-bit sRGB, 3-band uchar image of exactly `display` size (display
// coordinates). Errors name `path`. REQUIRES: display.width, display.height > 0.
Result<vips::VImage> ConvertFrame(const std::string& path, AVFrame& frame, Size display,
                                  const DisplayTransform& transform);

}  // namespace tessera::decoders::video

#endif  // TESSERA_DECODERS_VIDEO_CONVERT_H_
