// Raster formats only ImageMagick reads (PSD, TGA, PCX, ICO/CUR, DDS, XCF, SGI, SUN, PNM, BMP,
// XPM, XBM, PICT, DPX), decoded inside the isolated helper process only.
//
// ImageMagick never guesses: the caller maps the sniffed type to a coder with
// MagickCoderForMime and the coder is forced; the bytes are read from memory, never from a
// file name or URL; and InitMagick installs resource limits and a policy that denies every
// coder, module, delegate and path outside the allowlist (magick_coders.h).
#ifndef TESSERA_DECODERS_MAGICK_H_
#define TESSERA_DECODERS_MAGICK_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "src/decoders/decoded.h"
#include "tessera/engine.h"
#include "tessera/status.h"

namespace tessera::decoders {

// The ImageMagick coder for a shared-mime-info type ("image/vnd.adobe.photoshop" -> "PSD"),
// or "" when the type is not on our allowlist (SVG, text/plain, ...). Case-insensitive;
// parameters after ';' are ignored. Thread-safe.
std::string MagickCoderForMime(std::string_view mime_type);

// ImageMagick's resource limits. ImageMagick 6 counts them per process, and the system
// policy (/etc/ImageMagick-6/policy.xml) caps them: Debian's allows at most 256 MiB of memory,
// 512 MiB of map, 16000 pixels a side and 128 MP.
struct MagickLimits {
  uint64_t memory_bytes = 256ull << 20;
  uint64_t map_bytes = 512ull << 20;
  // No pixel cache on disk: the helper may not create files anyway. With 256 MiB of memory
  // and 8 bytes a pixel (Q16 RGBA) images above about 32 MP are refused as TooLarge.
  uint64_t disk_bytes = 0;
  uint64_t area_pixels = 128'000'000;
  uint64_t width = 32768;      // capped to 16000 by Debian's policy
  uint64_t height = 32768;     // likewise
  uint64_t list_length = 256;  // frames or layers in one file
  uint64_t threads = 1;        // parallelism comes from several helpers, not OpenMP
  // ImageMagick 6.9.11's time limit counts from the first pixel cache of the *process* and
  // ends the process with _exit() when reached (measured: a 1 s limit killed a helper at its
  // second image two seconds later). The helper lives for many requests and has its own
  // CPU budget and watchdog, so 0 (no limit) is the default; only a one-shot process should
  // set it.
  uint64_t time_seconds = 0;
};

// Initialises ImageMagick once per process (idempotent, thread-safe; later calls return the
// first call's result and ignore their argument): resource limits, then a security policy
// (SetMagickSecurityPolicy) that denies all delegates, filters and paths (so "@file" lists and
// any file access by name), every coder except the allowlist plus the embedded ones it needs
// (read only), every module except theirs, and explicitly URL, HTTP(S), FTP, MVG, MSL, TEXT,
// TXT, LABEL, CAPTION, PS, EPS, PDF, XPS, SVG, EPHEMERAL, INLINE, MPC. Verifies the policy
// took effect. DecodeMagick and ProbeMagick call it.
Status InitMagick(const MagickLimits& limits = MagickLimits());

// Pings `bytes` with the forced `coder` (no pixels decoded). Describes what DecodeMagick will
// return: width x height upright (orientation 1), the largest entry for ICO/CUR, the canvas
// for XCF, the merged image for PSD, the first frame otherwise; bands as delivered (3, or 4
// with alpha); bits_per_sample, has_icc_profile and interpretation of the source, as far as
// ImageMagick's ping reads them (its PSD ping skips the profile: DecodeMagick's info has
// it); pages is
// the number of entries of an icon, else 1; format "magick"; mime_type the coder's canonical
// type (callers replace it with the sniffed one).
// Errors name the file: Unsupported for a coder off the allowlist (ImageMagick never sees the
// data) or refused by policy, TooLarge when a resource limit stops the read, Corrupt otherwise.
// Thread-safe.
Result<ProbeInfo> ProbeMagick(const std::string& path, std::string_view bytes,
                              const std::string& coder);

// Decodes `bytes` with the forced `coder`: PSD's merged composite, the largest ICO/CUR entry,
// XCF's layers flattened onto transparency, the first frame of anything else; rotated upright
// when the file says so; converted to 8-bit sRGB (through its ICC profile when it has one
// that is not sRGB) with 3 bands, or 4 when it has alpha (unpremultiplied). Box-shrunk by an
// integer factor while it still covers min_size(info); never enlarged. ImageMagick's warnings
// are logged and ignored; its errors are returned as for ProbeMagick.
// REQUIRES: InitEngineRuntime() succeeded. Thread-safe.
Result<Decoded> DecodeMagick(const std::string& path, std::string_view bytes,
                             const std::string& coder, const MinSizeFn& min_size);

}  // namespace tessera::decoders

#endif  // TESSERA_DECODERS_MAGICK_H_
