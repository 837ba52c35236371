// Pieces shared by several subcommands: size parsing, cache options, file expansion.
#ifndef TESSERA_TOOLS_COMMON_H_
#define TESSERA_TOOLS_COMMON_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "tessera/desktop.h"
#include "tessera/engine.h"
#include "tessera/status.h"
#include "tessera/xdg.h"

namespace tessera::cli {

// "normal", "large", "x-large", "xx-large" or "all".
Result<std::vector<xdg::ThumbSize>> ParseSizes(const std::string& name);

// The cache at `dir`, or the user's freedesktop cache when `dir` is empty.
xdg::CacheOptions CacheOptionsFor(const std::string& dir);

// Expands the command line's paths into files, in a stable order. Folders are listed (their
// subfolders too when `recursive`), skipping hidden files and folders (.thumbnails,
// .sh_thumbnails among them); paths named on the command line are always taken. Paths that cannot
// be listed are reported in `errors` as "<path>: <reason>".
std::vector<std::string> ExpandPaths(const std::vector<std::string>& paths, bool recursive,
                                     std::vector<std::string>* errors);

// Engine options every subcommand shares: the helpers log at debug level under -v.
EngineOptions DefaultEngineOptions();

// --no-external and --sandbox auto|require|off: other programs' .thumbnailer entries.
struct ExternalArgs {
  bool no_external = false;
  std::string sandbox = "auto";
};
void AddExternalOptions(CLI::App* sub, ExternalArgs& args);
// The options they give; the time limit is the decoders' (`timeout_seconds`).
ExternalThumbnailerOptions ExternalOptionsFrom(const ExternalArgs& args, int timeout_seconds);

// Prints "tessera: <message>" to stderr.
void PrintError(const std::string& message);

}  // namespace tessera::cli

#endif  // TESSERA_TOOLS_COMMON_H_
