// Helpers for the video decoder's tests: the ffmpeg/ffprobe programs (to derive clips at test
// time and to cross-check), pixel statistics, the extra corpus folder. For tests only.
#ifndef TESSERA_DECODERS_VIDEO_TEST_UTIL_H_
#define TESSERA_DECODERS_VIDEO_TEST_UTIL_H_

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vips/vips8>

#include "src/decoders/decoded.h"

namespace tessera::decoders::testing {

// Runs `command` with sh; returns its standard output. `ok` says whether it exited with 0.
inline std::string Run(const std::string& command, bool* ok = nullptr) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    if (ok != nullptr) *ok = false;
    return out;
  }
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  const int status = ::pclose(pipe);
  if (ok != nullptr) *ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return out;
}

// `text` quoted for sh.
inline std::string Quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Runs ffmpeg quietly with `args`; true when it succeeded.
inline bool Ffmpeg(const std::string& args) {
  bool ok = false;
  Run("ffmpeg -nostdin -hide_banner -v error -y " + args + " </dev/null", &ok);
  return ok;
}

inline bool HaveFfmpegTools() {
  bool ffmpeg = false, ffprobe = false;
  Run("ffmpeg -hide_banner -version >/dev/null 2>&1", &ffmpeg);
  Run("ffprobe -hide_banner -version >/dev/null 2>&1", &ffprobe);
  return ffmpeg && ffprobe;
}

// ffprobe's "key=value" answers for the first video stream and the format:
// e.g. {"width": "1920", "sample_aspect_ratio": "1:1", "rotation": "90", "duration": "1.6"}.
// Stream entries come first, so format=duration overrides the stream's duration.
inline std::map<std::string, std::string> Ffprobe(const std::string& path) {
  const std::string out =
      Run("ffprobe -v error -select_streams v:0 -show_entries "
          "stream=width,height,sample_aspect_ratio:stream_side_data=rotation:format=duration "
          "-of default=nw=1 " +
          Quote(path));
  std::map<std::string, std::string> values;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return values;
}

// The display size ffprobe implies: width stretched by the sample aspect ratio, then swapped
// for a quarter-turn rotation. {0, 0} when ffprobe gave no size.
inline Size FfprobeDisplaySize(const std::map<std::string, std::string>& probe) {
  if (!probe.count("width") || !probe.count("height")) return {};
  double width = std::stod(probe.at("width"));
  const int height = std::stoi(probe.at("height"));
  if (probe.count("sample_aspect_ratio")) {
    int num = 0, den = 0;
    if (std::sscanf(probe.at("sample_aspect_ratio").c_str(), "%d:%d", &num, &den) == 2 && num > 0 &&
        den > 0) {
      width = width * num / den;
    }
  }
  Size size{static_cast<int>(std::lround(width)), height};
  if (probe.count("rotation") && std::abs(std::stoi(probe.at("rotation"))) % 180 == 90) {
    std::swap(size.width, size.height);
  }
  return size;
}

struct RgbStats {
  double luma_mean = 0;    // Rec. 709 weights on the 8-bit sRGB values
  double luma_stddev = 0;  // contrast
  double r = 0, g = 0, b = 0;
};

inline RgbStats Stats(const vips::VImage& rgb) {
  const vips::VImage luma = rgb[0] * 0.2126 + rgb[1] * 0.7152 + rgb[2] * 0.0722;
  return RgbStats{luma.avg(), luma.deviate(), rgb[0].avg(), rgb[1].avg(), rgb[2].avg()};
}

// Packed 8-bit RGB bytes of `width` x `height` as an image.
inline vips::VImage FromRgbBytes(const std::string& bytes, int width, int height) {
  return vips::VImage::new_from_memory(const_cast<char*>(bytes.data()), bytes.size(), width, height,
                                       3, VIPS_FORMAT_UCHAR)
      .copy_memory();
}

// What ffmpeg itself shows for the first frame of `path` (autorotated), scaled to `size` as
// packed RGB; `filters` go before the scale. Empty on failure.
inline std::string FfmpegFirstFrameRgb(const std::string& path, Size size,
                                       const std::string& filters = "") {
  bool ok = false;
  const std::string out =
      Run("ffmpeg -nostdin -hide_banner -v error -i " + Quote(path) + " -frames:v 1 -vf " +
              Quote(filters + (filters.empty() ? "" : ",") + "scale=" + std::to_string(size.width) +
                    ":" + std::to_string(size.height) + ":flags=lanczos,format=rgb24") +
              " -f rawvideo - </dev/null",
          &ok);
  return ok && out.size() == static_cast<size_t>(size.width) * size.height * 3 ? out : "";
}

// The mean absolute difference of two images of the same size, in 8-bit levels.
inline double MeanAbsDifference(const vips::VImage& a, const vips::VImage& b) {
  return (a.cast(VIPS_FORMAT_FLOAT) - b.cast(VIPS_FORMAT_FLOAT)).abs().avg();
}

// The folder of real files no Debian package ships (../shared/corpus/extra from the source).
inline std::string ExtraCorpusDir() {
#ifdef TESSERA_SOURCE_DIR
  return std::string(TESSERA_SOURCE_DIR) + "/../shared/corpus/extra";
#else
  return "/work/shared/corpus/extra";
#endif
}

inline MinSizeFn Box(int edge) {
  return [edge](const ProbeInfo&) { return Size{edge, edge}; };
}

}  // namespace tessera::decoders::testing

#endif  // TESSERA_DECODERS_VIDEO_TEST_UTIL_H_
