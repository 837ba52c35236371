// The thumbnail engine: probe a file, plan the geometry, decode once, derive every size.
// The engine knows nothing of caches, HTTP or SQL: it turns a file into RGBA pixels.
#ifndef TESSERA_ENGINE_H_
#define TESSERA_ENGINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tessera/image.h"
#include "tessera/status.h"

namespace tessera {

// What the probe sees without decoding pixels.
struct ProbeInfo {
  std::string mime_type;  // as shared-mime-info names it, sniffed from content ("image/jpeg")
  std::string format;     // our decoder family: "jpeg", "png", "webp", "gif", "heif", "jxl",
                          // "tiff", "svg", "pdf", "video", "raw", "magick", "vips-helper"
  int width = 0;          // as stored, before orientation (vector formats: as declared)
  int height = 0;
  int orientation = 1;  // EXIF orientation 1..8 that will be applied (always 1 for HEIF/AVIF,
                        // whose irot/imir the decoder applies itself)
  int pages = 1;        // pages (PDF, TIFF) or frames (GIF, animated WebP)
  int bands = 0;
  int bits_per_sample = 8;
  bool has_alpha = false;
  bool has_icc_profile = false;
  std::string interpretation;  // libvips' name: "srgb", "cmyk", "b-w", "rgb16", ...
  bool is_vector = false;      // SVG and PDF: rendered at the target size
  uint64_t file_size = 0;
  double duration_seconds = 0;  // videos: the length in seconds (0 when unknown or not a video)

  // Dimensions after orientation (width and height swapped for orientations 5..8).
  int OrientedWidth() const { return orientation >= 5 ? height : width; }
  int OrientedHeight() const { return orientation >= 5 ? width : height; }
};

// A requested output, never larger than the (oriented) original.
//   kInside: fits inside max_width x max_height, keeping the aspect ratio to the pixel.
//   kCrop: fills max_width x max_height exactly: scaled so that it covers the box, then cut
//          around its most interesting region (libvips' attention measure). A smaller original
//          gives the largest region of the box's shape it holds (a 320x240 original gives a
//          240x240 square for a 500 square), never an upscaled one.
struct Target {
  enum class Fit { kInside, kCrop };
  int max_width = 0;
  int max_height = 0;
  Fit fit = Fit::kInside;
  static Target Square(int edge) { return Target{edge, edge}; }
  static Target CroppedSquare(int edge) { return Target{edge, edge, Fit::kCrop}; }
};

// kQuality: antialiased (lanczos3) resampling. kFast: the embedded EXIF thumbnail when it is
// at least as large as the target, otherwise shrink-on-load and a cheap filter (the 2001
// draft's ".lq" thumbnails).
enum class Quality { kQuality, kFast };

// A short muted clip of a video, for the square thumbnail's moving counterpart: an MP4 (H.264,
// yuv420p, BT.709 limited range, square pixels, no audio, the moov box before the media data so
// that a browser can start playing at once).
struct ClipOptions {
  // The square's side: a centred square cut from the upright frame as displayed (rotation and
  // pixel aspect applied), scaled to edge x edge. Never upscaled: a smaller video gives the
  // largest even square it holds (320x240 gives 240x240).
  int edge = 500;
  // The clip's length. A video no longer than this is used whole.
  double seconds = 3;
  // Where the clip starts, in seconds from the start of the video. Empty: at the frame the still
  // thumbnail shows (the frame picker's choice; 10% of the duration when it has no time). A
  // start too late for the full length moves back to the last `seconds` of the video.
  std::optional<double> start_seconds;
  int max_fps = 25;                 // frame-rate cap; slower videos keep their rate
  int crf = 28;                     // libx264 constant rate factor, 0..51 (lower: larger, better)
  std::string preset = "veryfast";  // libx264 preset, "ultrafast" .. "veryslow"
  uint64_t max_bytes = 8ull << 20;  // a larger clip is refused (TooLarge); at most 128 MiB
};

// Untrusted decoders (video, RAW, ImageMagick formats, and the SVG, PDF and JPEG XL loaders
// libvips marks untrusted) run in helper processes with these limits; the helpers are reused
// from file to file. A helper that crashes or overruns fails that file only.
struct IsolationOptions {
  // False only inside the helper itself: the process is then the sandbox, and the untrusted
  // libvips loaders run in it. Video, RAW and ImageMagick are never linked into the command.
  bool enabled = true;
  // The tessera-helper program; empty: $TESSERA_HELPER, then beside the running program, then
  // the installed libexec path.
  std::string helper_path;
  int timeout_seconds = 30;            // wall clock per file
  int cpu_seconds = 30;                // CPU per file
  uint64_t memory_bytes = 2ull << 30;  // address space of each helper
  int max_jobs_per_helper = 256;       // files before a helper is replaced
};

struct EngineOptions {
  // Refuse raster images whose header declares more pixels than this, before decoding.
  // 300 MP accepts real 200 MP photos and refuses gigapixel bombs.
  uint64_t max_pixels = 300'000'000;
  // Decode JPEG with libjpeg-turbo's M/8 scaled decode instead of libvips' jpegload.
  bool fast_jpeg = true;
  // Files larger than this are refused before reading.
  // (Videos are exempt: their decoder reads only what it needs.)
  uint64_t max_file_bytes = 2ull << 30;
  IsolationOptions isolation;
  // Log the helpers' debug output too.
  bool verbose_helpers = false;
};

// One decode's worth of thumbnails, in the order the targets were given.
struct ThumbnailSet {
  ProbeInfo probe;
  std::vector<Image> images;
};

// Thread-safe: one Engine may serve many threads at once.
class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine();

  const EngineOptions& options() const { return options_; }

  // Sniffs the type from content and reads the header. Errors name the file.
  Result<ProbeInfo> Probe(const std::string& path) const;

  // Decodes `path` once, at the largest target, and derives every other target from it.
  // Images come out 8-bit RGBA, upright, in sRGB.
  // REQUIRES: !targets.empty(), every target positive.
  Result<ThumbnailSet> Thumbnail(const std::string& path, const std::vector<Target>& targets,
                                 Quality quality = Quality::kQuality) const;

  // A short muted MP4 clip of the video at `path` (see ClipOptions), made inside a decoder helper
  // (video is never decoded in this process) under the same time and memory limits as a
  // thumbnail. Errors name the file: Unsupported for anything but a video with moving pictures
  // (a still image, audio, audio with cover art), Corrupt for a broken video or a helper that
  // crashed, TooLarge for a clip over options.max_bytes or a helper over its time limit,
  // InvalidArgument for options out of range.
  Result<std::string> VideoClip(const std::string& path, const ClipOptions& options = {}) const;

  // Decoder helper processes started so far by this engine.
  int helpers_started() const;

 private:
  struct Helpers;
  // The helper pool, started on first use. Errors name `path`.
  Status StartHelpers(const std::string& path) const;
  Result<ThumbnailSet> RunIsolated(const std::string& path, const std::string& mime,
                                   const std::string& family, const std::vector<Target>& targets,
                                   Quality quality, bool probe_only) const;

  EngineOptions options_;
  std::unique_ptr<Helpers> helpers_;
};

// Initialises libvips once for the process (idempotent, thread-safe): blocks every loader
// libvips marks untrusted (the ImageMagick fallback among them) and sets libvips' own threading
// to one thread per image.
Status InitEngineRuntime();

// In the helper process only: InitEngineRuntime(), then re-allows the SVG, PDF and JPEG XL
// loaders, which tessera calls itself (SVG only from memory, every load with fail_on).
Status InitHelperRuntime();

}  // namespace tessera

#endif  // TESSERA_ENGINE_H_
