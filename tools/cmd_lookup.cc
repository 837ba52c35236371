// `tessera lookup`: the valid thumbnail of a file, or why there is none.
#include <cstdio>

#include "tessera/xdg.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace tessera::cli {
namespace {

std::string_view StateName(xdg::LookupState state) {
  switch (state) {
    case xdg::LookupState::kValid:
      return "valid";
    case xdg::LookupState::kMissing:
      return "missing";
    case xdg::LookupState::kStale:
      return "stale";
    case xdg::LookupState::kFailed:
      return "failed";
  }
  return "?";
}

int Run(const std::vector<std::string>& paths, const std::string& size_name,
        const std::string& cache_dir) {
  Result<std::vector<xdg::ThumbSize>> sizes = ParseSizes(size_name);
  if (!sizes.ok()) {
    PrintError(sizes.status().message());
    return kExitUsage;
  }
  const xdg::Cache cache(CacheOptionsFor(cache_dir));
  bool all_valid = true;
  for (const std::string& path : paths) {
    Result<xdg::Original> original = xdg::StatOriginal(path);
    if (!original.ok()) {
      PrintError(original.status().message());
      all_valid = false;
      continue;
    }
    for (xdg::ThumbSize size : *sizes) {
      xdg::Lookup found = cache.Find(*original, size);
      if (found.state == xdg::LookupState::kValid) {
        std::printf("%s\t%s\t%s%s\n", path.c_str(), std::string(xdg::SizeDirName(size)).c_str(),
                    found.path.c_str(), found.from_shared_repository ? "\t(shared)" : "");
      } else {
        all_valid = false;
        std::printf("%s\t%s\t%s: %s\n", path.c_str(), std::string(xdg::SizeDirName(size)).c_str(),
                    std::string(StateName(found.state)).c_str(), found.reason.c_str());
      }
    }
  }
  return all_valid ? kExitOk : kExitFailed;
}

}  // namespace

Command RegisterLookup(CLI::App& app) {
  auto paths = std::make_shared<std::vector<std::string>>();
  auto size = std::make_shared<std::string>("large");
  auto cache_dir = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "lookup", "Print the valid thumbnail of each file, or why there is none (exit 1)");
  sub->add_option("paths", *paths, "Files")->required();
  sub->add_option("-s,--size", *size, "normal, large, x-large, xx-large or all")
      ->capture_default_str();
  sub->add_option("--cache-dir", *cache_dir, "Thumbnail cache folder");
  return {sub, [=] { return Run(*paths, *size, *cache_dir); }};
}

}  // namespace tessera::cli
