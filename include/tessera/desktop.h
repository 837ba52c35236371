// Desktop thumbnailing: the engine and the freedesktop cache together, one original at a time.
// This is what `tessera thumbnail` runs for every file, from several threads at once.
#ifndef TESSERA_DESKTOP_H_
#define TESSERA_DESKTOP_H_

#include <string>
#include <vector>

#include "tessera/engine.h"
#include "tessera/status.h"
#include "tessera/xdg.h"

namespace tessera {

struct DesktopOptions {
  std::vector<xdg::ThumbSize> sizes = {xdg::ThumbSize::kLarge};
  bool force = false;         // regenerate even when valid; ignore failure records
  bool draft_export = false;  // also (or instead) write the 2001 draft layout
  bool draft_only = false;    // write only the draft layout, not the personal cache
  xdg::DraftQuality draft_quality = xdg::DraftQuality::kHigh;
  std::vector<int> draft_edges = {128};  // which of xdg::kDraftSizes the draft export writes
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
};

// Thread-safe.
class DesktopThumbnailer {
 public:
  DesktopThumbnailer(const Engine& engine, const xdg::Cache& cache, DesktopOptions options);
  FileResult Process(const std::string& path) const;

 private:
  const Engine& engine_;
  const xdg::Cache& cache_;
  DesktopOptions options_;
};

}  // namespace tessera

#endif  // TESSERA_DESKTOP_H_
