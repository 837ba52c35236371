// Desktop thumbnailer entries (`*.thumbnailer` key files, as GNOME's thumbnail factory reads
// them from $XDG_DATA_HOME/thumbnailers and $XDG_DATA_DIRS/thumbnailers) and their Exec lines.
#ifndef TESSERA_XDG_THUMBNAILER_ENTRY_H_
#define TESSERA_XDG_THUMBNAILER_ENTRY_H_

#include <string>
#include <vector>

#include "tessera/status.h"

namespace tessera::xdg {

// One [Thumbnailer Entry] group.
struct ThumbnailerEntry {
  std::string file;      // the .thumbnailer file it came from
  std::string name;      // its basename: an entry in an earlier folder hides one of this name
  std::string try_exec;  // TryExec=, may be empty
  std::string exec;      // Exec=, a command line with %-fields
  std::vector<std::string> mime_types;  // MimeType=
};

// Reads `path`. InvalidArgument naming the file and the problem when it is not a key file, has
// no [Thumbnailer Entry] group, no Exec= or no MimeType=, or an Exec= line that does not parse
// as a command line or does not name the output (%o); IOError and friends when unreadable.
Result<ThumbnailerEntry> ReadThumbnailerEntry(const std::string& path);

// What the fields of an Exec= line stand for, for one file.
struct ExecFields {
  std::string input_path;  // %i
  std::string input_uri;   // %u
  std::string output;      // %o
  int size = 0;            // %s
  std::string mime_type;   // %m
};

// The Exec= line as the argument vector to run: split as a shell would (GLib's
// g_shell_parse_argv: quotes and backslashes, no expansion of anything else), then within each
// argument %i %u %o %s %m replaced by their fields and %% by '%'. A field's value stays inside
// its own argument whatever characters it holds. InvalidArgument for an empty or unparsable
// line or an unknown %-field.
Result<std::vector<std::string>> ExpandExec(const std::string& exec, const ExecFields& fields);

}  // namespace tessera::xdg

#endif  // TESSERA_XDG_THUMBNAILER_ENTRY_H_
