// `tessera thumbnail`: fill the freedesktop cache for files and folders, several at once.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "tessera/desktop.h"
#include "tools/cli.h"
#include "tools/common.h"
#include "tools/progress.h"

namespace tessera::cli {
namespace {

struct ThumbnailArgs {
  std::vector<std::string> paths;
  std::string size = "large";
  bool recursive = false;
  unsigned jobs = 0;
  bool force = false;
  bool json = false;
  std::string cache_dir;
  bool shared = false;
  std::string draft;
  bool draft_only = false;
  uint64_t max_pixels = EngineOptions{}.max_pixels;
  bool no_fast_jpeg = false;
  int timeout = IsolationOptions{}.timeout_seconds;
  uint64_t helper_memory_mib = IsolationOptions{}.memory_bytes >> 20;
  ExternalArgs external;
};

struct Tally {
  int generated = 0, up_to_date = 0, failed = 0, failed_before = 0, skipped = 0;
  void Add(Outcome o) {
    switch (o) {
      case Outcome::kGenerated:
        ++generated;
        break;
      case Outcome::kUpToDate:
        ++up_to_date;
        break;
      case Outcome::kFailed:
        ++failed;
        break;
      case Outcome::kFailedBefore:
        ++failed_before;
        break;
      case Outcome::kSkipped:
        ++skipped;
        break;
    }
  }
  bool AnyFailed() const { return failed + failed_before > 0; }
};

nlohmann::json ToJson(const FileResult& r) {
  nlohmann::json j = {{"path", r.path}, {"outcome", OutcomeName(r.outcome)}};
  if (!r.mime_type.empty()) j["mime_type"] = r.mime_type;
  if (!r.external.empty()) j["thumbnailer"] = r.external;
  if (!r.status.ok()) j["error"] = r.status.message();
  nlohmann::json sizes = nlohmann::json::array();
  for (xdg::ThumbSize s : r.written) sizes.push_back(xdg::SizeDirName(s));
  j["written"] = sizes;
  return j;
}

// The order to work in: largest files first, so that no big file starts last while the other
// workers sit idle (longest-processing-time-first scheduling; file size stands in for the cost).
std::vector<size_t> LargestFirst(const std::vector<std::string>& files) {
  std::vector<std::pair<off_t, size_t>> by_size(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    struct stat st {};
    by_size[i] = {::stat(files[i].c_str(), &st) == 0 ? st.st_size : 0, i};
  }
  std::stable_sort(by_size.begin(), by_size.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<size_t> order;
  order.reserve(files.size());
  for (const auto& [size, index] : by_size) order.push_back(index);
  return order;
}

// Runs `thumbnailer` over `files` with `jobs` workers; results keep the input order.
std::vector<FileResult> RunAll(const DesktopThumbnailer& thumbnailer,
                               const std::vector<std::string>& files, unsigned jobs,
                               Progress& progress, bool report_errors) {
  std::vector<FileResult> results(files.size());
  const std::vector<size_t> order = jobs > 1 ? LargestFirst(files) : std::vector<size_t>();
  std::atomic<size_t> next{0};
  std::mutex print_mu;
  auto worker = [&] {
    for (size_t n; (n = next.fetch_add(1)) < files.size();) {
      const size_t i = order.empty() ? n : order[n];
      results[i] = thumbnailer.Process(files[i]);
      const FileResult& r = results[i];
      if (report_errors && (r.outcome == Outcome::kFailed || r.outcome == Outcome::kSkipped)) {
        std::lock_guard<std::mutex> lock(print_mu);
        progress.Clear();
        PrintError(r.status.message());
      }
      progress.Advance();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  return results;
}

int Run(const ThumbnailArgs& args) {
  Result<std::vector<xdg::ThumbSize>> sizes = ParseSizes(args.size);
  if (!sizes.ok()) {
    PrintError(sizes.status().message());
    return kExitUsage;
  }
  DesktopOptions options;
  options.sizes = *sizes;
  options.force = args.force;
  options.external = ExternalOptionsFrom(args.external, args.timeout);
  if (!args.draft.empty()) {
    options.draft_export = true;
    options.draft_quality = args.draft == "lq" ? xdg::DraftQuality::kLow : xdg::DraftQuality::kHigh;
    options.draft_only = args.draft_only;
  }
  EngineOptions engine_options = DefaultEngineOptions();
  engine_options.isolation.timeout_seconds = args.timeout;
  engine_options.isolation.cpu_seconds = args.timeout;
  engine_options.isolation.memory_bytes = args.helper_memory_mib << 20;
  engine_options.max_pixels = args.max_pixels;
  engine_options.fast_jpeg = !args.no_fast_jpeg;
  const Engine engine(engine_options);
  xdg::CacheOptions cache_options = CacheOptionsFor(args.cache_dir);
  cache_options.write_shared = args.shared;
  const xdg::Cache cache(cache_options);
  const DesktopThumbnailer thumbnailer(engine, cache, options);

  std::vector<std::string> list_errors;
  const std::vector<std::string> files = ExpandPaths(args.paths, args.recursive, &list_errors);
  for (const std::string& e : list_errors) PrintError(e);

  unsigned jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, std::max<size_t>(files.size(), 1));
  const auto start = std::chrono::steady_clock::now();
  std::vector<FileResult> results;
  {
    Progress progress(files.size(), !args.json && isatty(STDERR_FILENO));
    results = RunAll(thumbnailer, files, jobs, progress, !args.json);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Tally tally;
  for (const FileResult& r : results) tally.Add(r.outcome);
  const bool failed = tally.AnyFailed() || !list_errors.empty();
  if (args.json) {
    nlohmann::json out;
    out["files"] = nlohmann::json::array();
    for (const FileResult& r : results) out["files"].push_back(ToJson(r));
    out["summary"] = {{"files", results.size()},
                      {"generated", tally.generated},
                      {"up_to_date", tally.up_to_date},
                      {"failed", tally.failed},
                      {"failed_before", tally.failed_before},
                      {"skipped", tally.skipped},
                      {"seconds", seconds},
                      {"cache", cache.base_dir()}};
    if (!list_errors.empty()) out["errors"] = list_errors;
    std::cout << out.dump(2) << std::endl;
  } else {
    std::printf(
        "%zu files in %.2f s (%.1f files/s): %d generated, %d up to date, %d failed, "
        "%d failed before, %d skipped; cache %s\n",
        results.size(), seconds, seconds > 0 ? results.size() / seconds : 0.0, tally.generated,
        tally.up_to_date, tally.failed, tally.failed_before, tally.skipped,
        cache.base_dir().c_str());
  }
  return failed ? kExitFailed : kExitOk;
}

}  // namespace

Command RegisterThumbnail(CLI::App& app) {
  auto args = std::make_shared<ThumbnailArgs>();
  CLI::App* sub = app.add_subcommand("thumbnail", "Make thumbnails in the freedesktop cache");
  sub->add_option("paths", args->paths, "Files and folders")->required();
  sub->add_option("-s,--size", args->size, "normal, large, x-large, xx-large or all")
      ->capture_default_str();
  sub->add_flag("-r,--recursive", args->recursive, "Descend into subfolders");
  sub->add_option("-j,--jobs", args->jobs, "Files in flight (default: one per core)");
  sub->add_flag("-f,--force", args->force, "Regenerate valid thumbnails; retry failed files");
  sub->add_flag("--json", args->json, "Print the results as JSON");
  sub->add_option("--cache-dir", args->cache_dir,
                  "Thumbnail cache folder (default: $XDG_CACHE_HOME/thumbnails)");
  sub->add_flag("--shared", args->shared, "Also write .sh_thumbnails/ beside each original");
  sub->add_option("--draft", args->draft,
                  "Also export the 2001 draft layout (.thumbnails/WxH/name.hq.png) in hq or lq")
      ->check(CLI::IsMember({"hq", "lq"}));
  sub->add_flag("--draft-only", args->draft_only,
                "With --draft: write only the draft layout, not the freedesktop cache (lq then "
                "uses the camera's EXIF thumbnail where it is large enough)");
  sub->add_option("--max-pixels", args->max_pixels, "Refuse images with more pixels than this")
      ->capture_default_str();
  sub->add_flag("--no-fast-jpeg", args->no_fast_jpeg,
                "Decode JPEG through libvips instead of the libjpeg-turbo scaled path");
  sub->add_option("--timeout", args->timeout,
                  "Seconds of wall-clock and of CPU time an isolated decoder (video, RAW, "
                  "ImageMagick, SVG, PDF, JPEG XL) may spend on one file")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  AddExternalOptions(sub, args->external);
  sub->add_option("--helper-memory", args->helper_memory_mib,
                  "Address-space limit of each isolated decoder process, in MiB")
      ->check(CLI::Range(256, 1 << 20))
      ->capture_default_str();
  return {sub, [args] { return Run(*args); }};
}

}  // namespace tessera::cli
