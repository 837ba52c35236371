// Helpers for the video clip tests: what FFmpeg's own tools say about a clip (ffprobe), the MP4's
// top-level boxes, and pixels to compare (the clip's first frame; ffmpeg's rendering of the
// source at a moment, upright, cut to the same square). For tests only.
#ifndef TESSERA_DECODERS_VIDEO_CLIP_TEST_UTIL_H_
#define TESSERA_DECODERS_VIDEO_CLIP_TEST_UTIL_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include <vips/vips8>

#include "src/decoders/video_clip.h"
#include "src/decoders/video_test_util.h"

namespace tessera::decoders::testing {

// ffprobe's view of a clip file.
struct ClipProbe {
  bool ok = false;
  int video_streams = 0;
  int other_streams = 0;  // audio, subtitles, data
  std::string codec;      // of the video stream: "h264"
  std::string pix_fmt;    // "yuv420p"
  std::string color_space;
  std::string color_range;
  int width = 0, height = 0;
  std::string sample_aspect_ratio;  // "1:1" or "" when unset
  std::string rotation;             // the display matrix's, "" when none
  double fps = 0;                   // r_frame_rate
  int frames = 0;                   // counted by decoding
  double duration = 0;              // the container's
};

inline ClipProbe ProbeClip(const std::string& path) {
  bool ok = false;
  const std::string out =
      Run("ffprobe -v error -count_frames -show_streams -show_format -of json " + Quote(path), &ok);
  ClipProbe probe;
  if (!ok) return probe;
  const nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
  if (j.is_discarded()) return probe;
  for (const nlohmann::json& s : j.value("streams", nlohmann::json::array())) {
    if (s.value("codec_type", "") != "video") {
      ++probe.other_streams;
      continue;
    }
    ++probe.video_streams;
    probe.codec = s.value("codec_name", "");
    probe.pix_fmt = s.value("pix_fmt", "");
    probe.color_space = s.value("color_space", "");
    probe.color_range = s.value("color_range", "");
    probe.width = s.value("width", 0);
    probe.height = s.value("height", 0);
    probe.sample_aspect_ratio = s.value("sample_aspect_ratio", "");
    for (const nlohmann::json& side : s.value("side_data_list", nlohmann::json::array())) {
      if (side.contains("rotation")) probe.rotation = side["rotation"].dump();
    }
    int num = 0, den = 0;
    if (std::sscanf(s.value("r_frame_rate", "0/0").c_str(), "%d/%d", &num, &den) == 2 && den > 0) {
      probe.fps = static_cast<double>(num) / den;
    }
    probe.frames = std::atoi(s.value("nb_read_frames", "0").c_str());
  }
  probe.duration =
      std::atof(j.value("format", nlohmann::json::object()).value("duration", "0").c_str());
  probe.ok = true;
  return probe;
}

// The MP4's top-level box types in file order ("ftyp", "moov", "mdat", ...); empty when the
// sizes do not add up to the file.
inline std::vector<std::string> TopLevelBoxes(const std::string& mp4) {
  std::vector<std::string> types;
  size_t at = 0;
  while (at + 8 <= mp4.size()) {
    auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<uint8_t>(mp4[i])); };
    uint64_t size = byte(at) << 24 | byte(at + 1) << 16 | byte(at + 2) << 8 | byte(at + 3);
    if (size == 1 && at + 16 <= mp4.size()) {
      size = 0;
      for (int i = 0; i < 8; ++i) size = size << 8 | byte(at + 8 + i);
    } else if (size == 0) {
      size = mp4.size() - at;
    }
    if (size < 8 || at + size > mp4.size()) return {};
    types.push_back(mp4.substr(at + 4, 4));
    at += size;
  }
  if (at != mp4.size()) return {};
  return types;
}

inline int IndexOf(const std::vector<std::string>& items, const std::string& item) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i] == item) return static_cast<int>(i);
  }
  return -1;
}

// Packed RGB bytes as an image that owns a copy of them (FromRgbBytes' image still points
// into `bytes`: vips_image_copy_memory keeps an image already in memory as it is).
inline vips::VImage CopyRgb(const std::string& bytes, int width, int height) {
  VipsImage* image = vips_image_new_from_memory_copy(bytes.data(), bytes.size(), width, height, 3,
                                                     VIPS_FORMAT_UCHAR);
  if (image == nullptr) return vips::VImage();
  return vips::VImage(image);
}

// The clip's first frame as an RGB image (ffmpeg decoding the file). Empty image on failure.
inline vips::VImage ClipFirstFrame(const std::string& clip_path, int edge) {
  const std::string rgb = FfmpegFirstFrameRgb(clip_path, Size{edge, edge});
  if (rgb.empty()) return vips::VImage();
  return CopyRgb(rgb, edge, edge);
}

// What ffmpeg shows of `source` at `seconds` (autorotated; decoded from the start, since a seek
// may land on a keyframe its followers cannot be decoded from), scaled to cover `cover`
// (display coordinates, so the pixel aspect is applied) and cut to the centred edge x edge
// square, as RGB. Empty image on failure.
inline vips::VImage ReferenceSquare(const std::string& source, double seconds, Size cover,
                                    int edge) {
  char select[64];
  std::snprintf(select, sizeof select, "select=gte(t\\,%.4f),", seconds - 0.001);
  const std::string filters = select + std::string("scale=") + std::to_string(cover.width) + ":" +
                              std::to_string(cover.height) +
                              ":flags=lanczos,crop=" + std::to_string(edge) + ":" +
                              std::to_string(edge) + ",format=rgb24";
  bool ok = false;
  const std::string rgb =
      Run("ffmpeg -nostdin -hide_banner -v error -i " + Quote(source) + " -frames:v 1 -vf " +
              Quote(filters) + " -f rawvideo - </dev/null",
          &ok);
  if (!ok || rgb.size() != static_cast<size_t>(edge) * edge * 3) return vips::VImage();
  return CopyRgb(rgb, edge, edge);
}

}  // namespace tessera::decoders::testing

#endif  // TESSERA_DECODERS_VIDEO_CLIP_TEST_UTIL_H_
