// The video decoder (FFmpeg's libraries): the header of a video file, and a representative
// frame of it as the thumbnail's source image. Runs only inside the isolated helper process.
//
// Containers MP4, MOV, MKV, WebM, AVI, Ogg, MPEG-PS/TS (and the cover art of MP3, FLAC, M4A);
// any codec FFmpeg decodes (H.264, HEVC, VP9, AV1, MPEG-2, MPEG-4, Theora, MJPEG, ...).
// Only the file at `path` is read: no other protocol, no referenced or playlist files.
// Errors name the file: Unsupported (no video stream, unknown codec or container), Corrupt
// (truncated, missing index, nothing decodable), TooLarge (frames over 100 megapixels),
// NotFound / PermissionDenied / IOError. Thread-safe: calls share nothing but FFmpeg's log hook.
#ifndef TESSERA_DECODERS_VIDEO_H_
#define TESSERA_DECODERS_VIDEO_H_

#include <string>

#include "src/decoders/decoded.h"
#include "tessera/engine.h"

namespace tessera::decoders {

// Reads the container header only (and what avformat_find_stream_info decodes). info.width and
// info.height are the chosen stream's display size (sample aspect ratio applied, then the
// display matrix's rotation), orientation 1, format "video", bands 3, pages 1,
// bits_per_sample 8/10/12, duration_seconds (0 when unknown); mime_type is left empty.
Result<ProbeInfo> ProbeVideo(const std::string& path);

// Picks a representative frame (see video_pick.h: not black, white or flat, the most detailed
// of a few early candidates; the picture itself for cover art) and returns it upright, 8-bit
// sRGB RGB, scaled with lanczos to exactly FitInside(display size, min_size(info)): the
// display aspect ratio, never larger than the display size. HDR (PQ, HLG) is tone-mapped to
// SDR BT.709. REQUIRES: min_size.
Result<Decoded> DecodeVideo(const std::string& path, const MinSizeFn& min_size);

}  // namespace tessera::decoders

#endif  // TESSERA_DECODERS_VIDEO_H_
