// Running an installed desktop thumbnailer on one file: in a bubblewrap sandbox when it can be
// had (read-only system, the input bound read-only, a private /tmp for the output, no network,
// no other process visible, a seccomp filter against the known ways out), with a wall-clock
// timeout and resource limits, its output checked before anyone reads it.
#ifndef TESSERA_XDG_THUMBNAILER_RUN_H_
#define TESSERA_XDG_THUMBNAILER_RUN_H_

#include <cstdint>
#include <string>

#include "src/xdg/thumbnailer_entry.h"
#include "tessera/desktop.h"
#include "tessera/status.h"

namespace tessera::xdg {

// Whether bubblewrap can sandbox programs here, and if not, why. Probed once per process (bwrap
// on $PATH, then a trial run: user namespaces may be disabled, or a container may forbid them);
// the first answer is logged.
struct SandboxAvailability {
  bool available = false;
  std::string bwrap;   // its path, when found
  std::string reason;  // why not, when unavailable
};
const SandboxAvailability& Sandbox();

// The picture a thumbnailer wrote: a file in a private temporary folder (0700) that goes with
// this object. Move-only.
class ExternalOutput {
 public:
  ExternalOutput() = default;
  ExternalOutput(std::string dir, std::string path)
      : dir_(std::move(dir)), path_(std::move(path)) {}
  ExternalOutput(ExternalOutput&& other) noexcept;
  ExternalOutput& operator=(ExternalOutput&& other) noexcept;
  ExternalOutput(const ExternalOutput&) = delete;
  ExternalOutput& operator=(const ExternalOutput&) = delete;
  ~ExternalOutput();

  const std::string& path() const { return path_; }
  bool sandboxed() const { return sandboxed_; }
  void set_sandboxed(bool sandboxed) { sandboxed_ = sandboxed; }

 private:
  void Remove();

  std::string dir_;
  std::string path_;
  bool sandboxed_ = false;
};

// Runs `entry` for the local file `path` (canonical URI `uri`, type `mime_type`) asking for a
// picture of at most `size` pixels. Returns its output: a regular file, at most
// limits.max_output_bytes, not yet decoded (the caller decodes it as any untrusted image).
// Errors name the file and the thumbnailer:
//   TooLarge  it ran longer than limits.timeout_seconds (it is killed) or wrote too much
//   Corrupt   it crashed, exited with an error (its last line of stderr quoted) or wrote nothing
//   Internal  it could not be started, or limits.sandbox is kRequired and there is no sandbox
Result<ExternalOutput> RunThumbnailer(const ThumbnailerEntry& entry, const std::string& path,
                                      const std::string& uri, const std::string& mime_type,
                                      int size, const ExternalThumbnailerOptions& limits);

}  // namespace tessera::xdg

#endif  // TESSERA_XDG_THUMBNAILER_RUN_H_
