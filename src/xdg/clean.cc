// Cleanup of the personal cache: orphans, old thumbnails, a byte budget, crashed writers' temps.
#include <dirent.h>
#include <fmt/format.h>
#include <glib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <memory>

#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

constexpr int64_t kTempMaxAgeSeconds = 3600;

struct Entry {
  std::string path;
  std::string name;
  int64_t mtime = 0;
  int64_t bytes = 0;
};

struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};

// Regular files directly inside `dir`; a missing folder is empty.
Status ListFiles(const std::string& dir, std::vector<Entry>* out) {
  std::unique_ptr<DIR, DirCloser> handle(opendir(dir.c_str()));
  if (!handle) {
    if (errno == ENOENT) return Status::Ok();
    return Status::FromErrno(errno, dir);
  }
  while (struct dirent* e = readdir(handle.get())) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    out->push_back(Entry{path, name, st.st_mtim.tv_sec, static_cast<int64_t>(st.st_size)});
  }
  return Status::Ok();
}

// The thumbnail's Thumb::URI names a local file that no longer exists.
bool IsOrphan(const std::string& thumbnail) {
  Result<PngText> text = ReadPngText(thumbnail);
  if (!text.ok()) return false;
  for (const auto& [key, value] : *text) {
    if (key != "Thumb::URI") continue;
    if (value.rfind("file://", 0) != 0) return false;  // other schemes: leave to the age rule
    char* path = g_filename_from_uri(value.c_str(), nullptr, nullptr);
    if (path == nullptr) return false;
    struct stat st;
    bool gone = lstat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
    g_free(path);
    return gone;
  }
  return false;
}

}  // namespace

Result<CleanReport> Clean(const std::string& base_dir, const CleanOptions& options) {
  std::vector<std::string> dirs;
  for (ThumbSize size : kAllSizes)
    dirs.push_back(fmt::format("{}/{}", base_dir, SizeDirName(size)));
  {
    std::vector<Entry> unused;
    std::unique_ptr<DIR, DirCloser> fail(opendir((base_dir + "/fail").c_str()));
    while (fail) {
      struct dirent* e = readdir(fail.get());
      if (e == nullptr) break;
      std::string name = e->d_name;
      if (name != "." && name != "..") dirs.push_back(base_dir + "/fail/" + name);
    }
  }

  CleanReport report;
  const int64_t now = time(nullptr);
  std::vector<Entry> kept;
  auto remove = [&](const Entry& entry, int* counter) -> Status {
    if (!options.dry_run && unlink(entry.path.c_str()) != 0 && errno != ENOENT) {
      return Status::FromErrno(errno, fmt::format("clean: remove {}", entry.path));
    }
    ++*counter;
    report.bytes_freed += entry.bytes;
    report.removed.push_back(entry.path);
    return Status::Ok();
  };

  for (const std::string& dir : dirs) {
    std::vector<Entry> files;
    TESSERA_RETURN_IF_ERROR(ListFiles(dir, &files).WithContext("clean"));
    for (const Entry& entry : files) {
      report.bytes_before += entry.bytes;
      if (!internal::IsThumbnailName(entry.name)) {
        // A writer may still be working on a young one.
        if (now - entry.mtime > kTempMaxAgeSeconds) {
          TESSERA_RETURN_IF_ERROR(remove(entry, &report.removed_temp));
        } else {
          kept.push_back(entry);
        }
        continue;
      }
      ++report.scanned;
      if (options.remove_orphans && IsOrphan(entry.path)) {
        TESSERA_RETURN_IF_ERROR(remove(entry, &report.removed_orphans));
      } else if (options.older_than_days >= 0 &&
                 now - entry.mtime > int64_t{options.older_than_days} * 86400) {
        TESSERA_RETURN_IF_ERROR(remove(entry, &report.removed_old));
      } else {
        kept.push_back(entry);
      }
    }
  }

  if (options.max_total_bytes >= 0) {
    int64_t total = 0;
    for (const Entry& entry : kept) total += entry.bytes;
    std::sort(kept.begin(), kept.end(), [](const Entry& a, const Entry& b) {
      return a.mtime != b.mtime ? a.mtime < b.mtime : a.path < b.path;
    });
    for (const Entry& entry : kept) {
      if (total <= options.max_total_bytes) break;
      TESSERA_RETURN_IF_ERROR(remove(entry, &report.removed_for_budget));
      total -= entry.bytes;
    }
  }
  return report;
}

}  // namespace tessera::xdg
