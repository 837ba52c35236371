// `tessera clean`: remove orphaned, old, or over-budget thumbnails.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tessera/xdg.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace tessera::cli {
namespace {

struct CleanArgs {
  std::string cache_dir;
  bool dry_run = false;
  int older_than_days = -1;
  int64_t max_size = -1;
  bool no_orphans = false;
  bool json = false;
};

int Run(const CleanArgs& args) {
  xdg::CleanOptions options;
  options.dry_run = args.dry_run;
  options.older_than_days = args.older_than_days;
  options.max_total_bytes = args.max_size;
  options.remove_orphans = !args.no_orphans;
  const std::string base = CacheOptionsFor(args.cache_dir).base_dir;
  Result<xdg::CleanReport> report = xdg::Clean(base, options);
  if (!report.ok()) {
    PrintError(report.status().message());
    return kExitFailed;
  }
  const xdg::CleanReport& r = *report;
  const char* verb = args.dry_run ? "would remove" : "removed";
  if (args.json) {
    nlohmann::json j = {{"cache", base},
                        {"dry_run", args.dry_run},
                        {"scanned", r.scanned},
                        {"orphans", r.removed_orphans},
                        {"old", r.removed_old},
                        {"over_budget", r.removed_for_budget},
                        {"temp_files", r.removed_temp},
                        {"bytes_before", r.bytes_before},
                        {"bytes_freed", r.bytes_freed},
                        {"removed", r.removed}};
    std::cout << j.dump(2) << std::endl;
    return kExitOk;
  }
  for (const std::string& path : r.removed) std::printf("%s %s\n", verb, path.c_str());
  std::printf(
      "%s: scanned %d thumbnails (%lld bytes); %s %d orphaned, %d old, %d over budget, "
      "%d stale temp files, %lld bytes\n",
      base.c_str(), r.scanned, static_cast<long long>(r.bytes_before), verb, r.removed_orphans,
      r.removed_old, r.removed_for_budget, r.removed_temp, static_cast<long long>(r.bytes_freed));
  return kExitOk;
}

}  // namespace

Command RegisterClean(CLI::App& app) {
  auto args = std::make_shared<CleanArgs>();
  CLI::App* sub = app.add_subcommand(
      "clean", "Remove thumbnails whose originals are gone, old ones, or trim to a budget");
  sub->add_option("--cache-dir", args->cache_dir, "Thumbnail cache folder");
  sub->add_flag("-n,--dry-run", args->dry_run, "List what would be removed; remove nothing");
  sub->add_option("--older-than", args->older_than_days, "Remove thumbnails older than DAYS");
  sub->add_option("--max-size", args->max_size,
                  "Trim the cache to BYTES, oldest first (suffixes K, M, G)")
      ->transform(CLI::AsSizeValue(false));
  sub->add_flag("--no-orphans", args->no_orphans, "Keep thumbnails whose originals are gone");
  sub->add_flag("--json", args->json, "Print JSON");
  return {sub, [args] { return Run(*args); }};
}

}  // namespace tessera::cli
