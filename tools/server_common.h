// Options and set-up shared by the media-server subcommands (serve, scan, user, photo): where
// the data folder and the catalog are, and how variants are made.
#ifndef TESSERA_TOOLS_SERVER_COMMON_H_
#define TESSERA_TOOLS_SERVER_COMMON_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "src/app/data_dir.h"
#include "src/library/catalog.h"
#include "src/library/variants.h"
#include "tessera/status.h"

namespace tessera::cli {

struct DataOptions {
  std::string data_dir;  // --data
  std::string catalog;   // --catalog
};
void AddDataOptions(CLI::App* sub, DataOptions& options);

struct Opened {
  app::DataDir data;
  std::unique_ptr<library::Catalog> catalog;
};
Result<Opened> OpenData(const DataOptions& options);

// --variant KIND=FORMAT[:QUALITY[:WxH]] (repeatable), --video-square clip|frame, --no-faces.
struct VariantOptions {
  std::vector<std::string> settings;
  std::string video_square = "clip";
  bool no_faces = false;
};
void AddVariantOptions(CLI::App* sub, VariantOptions& options);
Result<std::vector<library::VariantSpec>> VariantsFrom(const VariantOptions& options);

// The user named `name`, or NotFound saying so.
Result<library::User> FindUser(library::Catalog& catalog, const std::string& name);

// Registers `dir` (made absolute and canonical) as a library of `owner_id`, unless it is one
// already. Returns the canonical root. InvalidArgument when another user owns it.
Result<std::string> EnsureLibrary(library::Catalog& catalog, int64_t owner_id,
                                  const std::string& dir);

// A random password of 20 URL-safe characters (libsodium).
std::string RandomPassword();

}  // namespace tessera::cli

#endif  // TESSERA_TOOLS_SERVER_COMMON_H_
