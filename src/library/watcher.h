// A recursive folder watcher (inotify) so the media server picks up new, changed, moved and
// deleted files while it serves. It reports only *which root* changed, debounced; the scanner's
// stat-only rescan of that root finds out what changed.
#ifndef TESSERA_LIBRARY_WATCHER_H_
#define TESSERA_LIBRARY_WATCHER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tessera/status.h"

namespace tessera::library {

struct WatchOptions {
  // Debounce: a root is reported once nothing below it changed for this long...
  std::chrono::milliseconds quiet{500};
  // ...but no change is held longer than this (a folder written to without pause).
  std::chrono::milliseconds max_delay{5000};
};

// What counts as a change below a root (hidden names, starting with '.', are ignored, as the
// scanner does; symlinked folders are not followed):
//   - a file closed after writing, moved in, moved out, renamed, deleted, or its attributes
//     (mtime, mode) changed;
//   - a folder created, moved in, moved out or deleted. A folder that appears is watched with
//     everything below it and counted as a change at once, since files may have been written
//     into it before its watch existed;
//   - a regular file *created* is not a change by itself: the close after writing it is, so a
//     half-copied file is not scanned. If no close-for-write follows within `max_delay` (a
//     writer still busy, a file created without writing) it is reported then anyway. Hard
//     links and symlinks, which never get a close, are reported at once.
// When the kernel's event queue overflows (events were lost), every root is reported with
// `overflow` set, and the watches are brought back in line with the folders on disk.
// When the inotify watch limit (fs.inotify.max_user_watches) is reached, the folders that could
// not be watched are named in a warning and skipped; the periodic rescan still covers them.
//
// Thread safety: Watch may be called from any thread, also while changes are being reported.
class LibraryWatcher {
 public:
  // Called from the watcher's own thread, one call at a time, with the roots (as given to
  // Watch) below which something changed. `overflow`: events were lost; `roots` holds every
  // root and anything below them may have changed. The callback may call Watch. It must not
  // destroy the watcher, and should return soon: events queue in the kernel meanwhile.
  using OnChange = std::function<void(const std::vector<std::string>& roots, bool overflow)>;

  // Starts the watcher's thread, with no root yet. Errors: inotify unavailable (e.g. the
  // per-user instance limit, fs.inotify.max_user_instances, reached).
  // REQUIRES: on_change; options.quiet >= 0 and options.max_delay >= options.quiet.
  static Result<std::unique_ptr<LibraryWatcher>> Start(OnChange on_change,
                                                       WatchOptions options = {});

  // Watches `root` and every folder below it. Call it before the root's initial scan, so that no
  // change falls between the two. Calling it again with the same root re-walks it (watches
  // folders that were missed, drops those gone). A root that is deleted or moved away is reported
  // once and no longer watched until Watch is called again. Roots should not nest.
  // Errors: `root` is not a readable folder. Hitting the watch limit is not an error.
  Status Watch(const std::string& root);

  // Stops and joins the thread; changes not yet reported are dropped.
  ~LibraryWatcher();

  LibraryWatcher(const LibraryWatcher&) = delete;
  LibraryWatcher& operator=(const LibraryWatcher&) = delete;

 private:
  class Impl;
  explicit LibraryWatcher(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_WATCHER_H_
