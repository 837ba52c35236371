#include "tools/common.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace tessera::cli {

namespace fs = std::filesystem;

Result<std::vector<xdg::ThumbSize>> ParseSizes(const std::string& name) {
  if (name == "all") {
    return std::vector<xdg::ThumbSize>(std::begin(xdg::kAllSizes), std::end(xdg::kAllSizes));
  }
  TESSERA_ASSIGN_OR_RETURN(xdg::ThumbSize size, xdg::ParseThumbSize(name));
  return std::vector<xdg::ThumbSize>{size};
}

xdg::CacheOptions CacheOptionsFor(const std::string& dir) {
  xdg::CacheOptions options;
  options.base_dir = dir.empty() ? xdg::DefaultCacheDir() : xdg::AbsoluteNormalizedPath(dir);
  return options;
}

namespace {

// Hidden entries (.thumbnails, .sh_thumbnails, .git, dotfiles) are not listed: a file manager
// does not show them, and thumbnail folders must never be thumbnailed.
bool IsHidden(const fs::path& p) { return p.filename().string().rfind('.', 0) == 0; }

void ListFolder(const fs::path& dir, bool recursive, std::vector<std::string>* files,
                std::vector<std::string>* errors) {
  std::error_code ec;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(it->path());
  }
  if (ec) {
    errors->push_back(fmt::format("{}: cannot list folder: {}", dir.string(), ec.message()));
    return;
  }
  std::sort(entries.begin(), entries.end());
  for (const fs::path& entry : entries) {
    if (IsHidden(entry)) continue;
    std::error_code type_ec;
    // symlink_status: never follow a link into a folder (no loops); linked files are fine.
    fs::file_status link = fs::symlink_status(entry, type_ec);
    if (fs::is_directory(link)) {
      if (recursive) ListFolder(entry, recursive, files, errors);
    } else if (fs::is_regular_file(fs::status(entry, type_ec))) {
      files->push_back(entry.string());
    }
  }
}

}  // namespace

std::vector<std::string> ExpandPaths(const std::vector<std::string>& paths, bool recursive,
                                     std::vector<std::string>* errors) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      ListFolder(path, recursive, &files, errors);
    } else {
      files.push_back(path);  // files, and missing paths, which get their error when processed
    }
  }
  return files;
}

void PrintError(const std::string& message) {
  std::fprintf(stderr, "tessera: %s\n", message.c_str());
}

void AddExternalOptions(CLI::App* sub, ExternalArgs& args) {
  sub->add_flag("--no-external", args.no_external,
                "Never run other programs' .thumbnailer entries (for types tessera cannot read)");
  sub->add_option("--sandbox", args.sandbox,
                  "Run those programs inside bubblewrap: auto (when it works here), require, off")
      ->check(CLI::IsMember({"auto", "require", "off"}))
      ->capture_default_str();
}

ExternalThumbnailerOptions ExternalOptionsFrom(const ExternalArgs& args, int timeout_seconds) {
  ExternalThumbnailerOptions options;
  options.enabled = !args.no_external;
  options.timeout_seconds = timeout_seconds;
  using Sandbox = ExternalThumbnailerOptions::Sandbox;
  options.sandbox = args.sandbox == "require" ? Sandbox::kRequired
                    : args.sandbox == "off"   ? Sandbox::kOff
                                              : Sandbox::kAuto;
  return options;
}

EngineOptions DefaultEngineOptions() {
  EngineOptions options;
  options.verbose_helpers = spdlog::get_level() <= spdlog::level::debug;
  return options;
}

}  // namespace tessera::cli
