#include "src/xdg/thumbnailer_registry.h"

#include <glib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace tessera::xdg {
namespace {

namespace fs = std::filesystem;

bool OnPath(const std::string& program) {
  if (program.empty()) return false;
  gchar* found = g_find_program_in_path(program.c_str());
  const bool ok = found != nullptr;
  g_free(found);
  return ok;
}

// The program an Exec line starts, or "" when it does not parse.
std::string ProgramOf(const std::string& exec) {
  gint argc = 0;
  gchar** argv = nullptr;
  if (!g_shell_parse_argv(exec.c_str(), &argc, &argv, nullptr)) return "";
  std::string program = argc > 0 ? argv[0] : "";
  g_strfreev(argv);
  return program;
}

// The `*.thumbnailer` files directly in `dir`, sorted; none when it is missing.
std::vector<std::string> EntryFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() == ".thumbnailer" && it->is_regular_file(ec)) files.push_back(p.string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<std::string> DefaultThumbnailerDirs() {
  std::vector<std::string> dirs;
  dirs.push_back(std::string(g_get_user_data_dir()) + "/thumbnailers");
  for (const gchar* const* dir = g_get_system_data_dirs(); *dir != nullptr; ++dir) {
    dirs.push_back(std::string(*dir) + "/thumbnailers");
  }
  return dirs;
}

bool RunsTessera(const std::string& exec) {
  return fs::path(ProgramOf(exec)).filename() == "tessera";
}

ThumbnailerRegistry ThumbnailerRegistry::Load(const std::vector<std::string>& dirs) {
  ThumbnailerRegistry registry;
  std::set<std::string> names_seen;
  for (const std::string& dir : dirs) {
    for (const std::string& file : EntryFiles(dir)) {
      const std::string name = fs::path(file).filename().string();
      if (!names_seen.insert(name).second) continue;  // hidden by an earlier folder's
      Result<ThumbnailerEntry> entry = ReadThumbnailerEntry(file);
      if (!entry.ok()) {
        spdlog::debug("thumbnailers: skipping {}", entry.status().ToString());
        continue;
      }
      if (RunsTessera(entry->exec)) continue;
      if ((!entry->try_exec.empty() && !OnPath(entry->try_exec)) ||
          !OnPath(ProgramOf(entry->exec))) {
        spdlog::debug("thumbnailers: skipping {}: its program is not installed", file);
        continue;
      }
      const size_t index = registry.entries_.size();
      for (const std::string& type : entry->mime_types) registry.by_type_.emplace(type, index);
      registry.entries_.push_back(std::move(entry).value());
    }
  }
  return registry;
}

const ThumbnailerEntry* ThumbnailerRegistry::Find(const std::string& mime_type) const {
  auto it = by_type_.find(mime_type);
  return it == by_type_.end() ? nullptr : &entries_[it->second];
}

std::vector<std::string> ThumbnailerRegistry::MimeTypes() const {
  std::vector<std::string> types;
  for (const auto& [type, index] : by_type_) types.push_back(type);
  return types;
}

}  // namespace tessera::xdg
