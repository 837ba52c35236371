// The installed desktop thumbnailers, by MIME type, as GNOME's thumbnail factory finds them.
#ifndef TESSERA_XDG_THUMBNAILER_REGISTRY_H_
#define TESSERA_XDG_THUMBNAILER_REGISTRY_H_

#include <map>
#include <string>
#include <vector>

#include "src/xdg/thumbnailer_entry.h"

namespace tessera::xdg {

// $XDG_DATA_HOME/thumbnailers, then <dir>/thumbnailers for each of $XDG_DATA_DIRS, in that
// order (GLib's g_get_user_data_dir and g_get_system_data_dirs, which read the environment once
// per process).
std::vector<std::string> DefaultThumbnailerDirs();

// Immutable once loaded; thread-safe.
class ThumbnailerRegistry {
 public:
  // Reads every `*.thumbnailer` file of `dirs`, earlier folders first, names in byte order
  // within one. As in GNOME: a file hides any of the same name in a later folder, and the first
  // entry to list a MIME type is the one used for it. Entries are skipped (and logged at debug
  // level) when they do not parse, when their TryExec= or their program is not an executable
  // found on $PATH, or when they run tessera itself (it is what asks, for a type it cannot
  // decode). Missing folders are fine.
  static ThumbnailerRegistry Load(const std::vector<std::string>& dirs);

  // The entry for exactly `mime_type`, or null.
  const ThumbnailerEntry* Find(const std::string& mime_type) const;

  // Every MIME type some entry handles, sorted.
  std::vector<std::string> MimeTypes() const;

  bool empty() const { return by_type_.empty(); }

 private:
  std::vector<ThumbnailerEntry> entries_;
  std::map<std::string, size_t> by_type_;  // MIME type -> index into entries_
};

// Whether an Exec line runs tessera itself (its program's basename is "tessera").
bool RunsTessera(const std::string& exec);

}  // namespace tessera::xdg

#endif  // TESSERA_XDG_THUMBNAILER_REGISTRY_H_
