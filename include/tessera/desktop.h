// Desktop thumbnailing: the engine and the freedesktop cache together, one original at a time.
// This is what `tessera thumbnail` runs for every file, from several threads at once.
#ifndef TESSERA_DESKTOP_H_
#define TESSERA_DESKTOP_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tessera/engine.h"
#include "tessera/status.h"
#include "tessera/xdg.h"

namespace tessera {

// Other programs' `.thumbnailer` entries, run for the types tessera cannot decode itself.
struct ExternalThumbnailerOptions {
  bool enabled = true;
  // Where entries are looked for, in order; empty: $XDG_DATA_HOME/thumbnailers, then
  // <dir>/thumbnailers for each of $XDG_DATA_DIRS.
  std::vector<std::string> dirs;
  int timeout_seconds = 30;                 // wall clock (and CPU) per file
  uint64_t memory_bytes = 2ull << 30;       // the program's address space (RLIMIT_AS)
  uint64_t max_output_bytes = 64ull << 20;  // a larger output is refused
  // kAuto: inside bubblewrap when it works here, else without (logged once); kRequired: never
  // without; kOff: never inside (for programs that cannot run in it).
  enum class Sandbox { kAuto, kRequired, kOff } sandbox = Sandbox::kAuto;
};

struct DesktopOptions {
  std::vector<xdg::ThumbSize> sizes = {xdg::ThumbSize::kLarge};
  bool force = false;         // regenerate even when valid; ignore failure records
  bool draft_export = false;  // also (or instead) write the 2001 draft layout
  bool draft_only = false;    // write only the draft layout, not the personal cache
  xdg::DraftQuality draft_quality = xdg::DraftQuality::kHigh;
  std::vector<int> draft_edges = {128};  // which of xdg::kDraftSizes the draft export writes
  ExternalThumbnailerOptions external;
};

enum class Outcome {
  kGenerated,     // at least one size written
  kUpToDate,      // every requested size already valid
  kFailedBefore,  // a failure record for this mtime/size exists; not retried
  kFailed,        // generation failed now (a failure record was written if permanent)
  kSkipped,       // not a thumbnailable original (inside a cache, not a regular file)
};
std::string_view OutcomeName(Outcome outcome);

struct FileResult {
  std::string path;
  Outcome outcome = Outcome::kFailed;
  Status status;  // the reason, for kFailed / kFailedBefore / kSkipped
  std::vector<xdg::ThumbSize> written;
  std::string mime_type;
  std::string external;       // the .thumbnailer entry that made it, when one did
  bool store_failed = false;  // kFailed because the cache could not be written (not the file)
};

namespace xdg {
class ThumbnailerRegistry;
}

// The MIME types tessera decodes itself: its own .thumbnailer entry's list
// (data/tessera.thumbnailer.in), in that order.
const std::vector<std::string>& OwnMimeTypes();

// Thread-safe.
class DesktopThumbnailer {
 public:
  // Reads the installed .thumbnailer entries now (options.external), once.
  DesktopThumbnailer(const Engine& engine, const xdg::Cache& cache, DesktopOptions options);
  ~DesktopThumbnailer();
  DesktopThumbnailer(const DesktopThumbnailer&) = delete;
  DesktopThumbnailer& operator=(const DesktopThumbnailer&) = delete;

  // Thumbnails one original into the cache. The engine decodes it; for a type the engine does
  // not read (Unsupported) an installed .thumbnailer entry for its MIME type, if any, makes a
  // picture that the engine then decodes (as the untrusted image it is) into every size.
  FileResult Process(const std::string& path) const;

  // The MIME types the installed .thumbnailer entries add (sorted; none when disabled).
  std::vector<std::string> ExternalMimeTypes() const;

 private:
  const Engine& engine_;
  const xdg::Cache& cache_;
  DesktopOptions options_;
  std::unique_ptr<const xdg::ThumbnailerRegistry> external_;
};

}  // namespace tessera

#endif  // TESSERA_DESKTOP_H_
