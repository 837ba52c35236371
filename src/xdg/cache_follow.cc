// Thumbnails follow their originals when a file manager moves or copies them: the PNG is
// re-keyed (Thumb::URI, Thumb::MTime) and stored under the new URI's name, so that nothing is
// decoded again and GLib finds it valid at the new place.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

enum class Mode { kMove, kCopy };

// One original that moved (or was copied): where it was, where it is, as local paths when the
// URIs name local files.
struct Relocation {
  std::string from_uri;
  std::string to_uri;
  std::optional<std::string> from_path;
  std::optional<std::string> to_path;
};

void SetKey(PngText& keys, const std::string& key, const std::string& value) {
  for (auto& [k, v] : keys) {
    if (k == key) {
      v = value;
      return;
    }
  }
  keys.emplace_back(key, value);
}

// Stores the thumbnail at `from_thumb` as the thumbnail of `to` at `to_thumb`, keyed for `to`.
// False (nothing written) when its Thumb::Size says it shows another file.
Result<bool> CarryOver(const std::string& from_thumb, const std::string& to_thumb,
                       const Original& to) {
  std::ifstream in(from_thumb, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!in) return Status::IOError(fmt::format("{}: cannot read", from_thumb));
  TESSERA_ASSIGN_OR_RETURN(PngText keys, ReadPngText(from_thumb));
  const std::string* size = internal::FindKey(keys, "Thumb::Size");
  if (size != nullptr && *size != std::to_string(to.size)) return false;
  TESSERA_ASSIGN_OR_RETURN(Image image, DecodePng(std::move(buffer).str()));
  SetKey(keys, "Thumb::URI", to.uri);
  SetKey(keys, "Thumb::MTime", std::to_string(to.mtime));
  TESSERA_ASSIGN_OR_RETURN(std::string png, EncodePng(image, keys));
  TESSERA_RETURN_IF_ERROR(MakeDirs(internal::DirName(to_thumb), 0700));
  TESSERA_RETURN_IF_ERROR(WriteFileAtomically(to_thumb, png, 0600));
  return true;
}

// The originals that went from `from_uri` to `to_uri`: that one, or, when the new place is a
// folder, every file below it paired with the name it had below the old place.
std::vector<Relocation> Relocations(const std::string& from_uri, const std::string& to_uri) {
  Relocation top{internal::CanonicalFormOfUri(from_uri), internal::CanonicalFormOfUri(to_uri),
                 internal::LocalPathOfUri(from_uri), internal::LocalPathOfUri(to_uri)};
  struct stat st;
  if (!top.from_path || !top.to_path || stat(top.to_path->c_str(), &st) != 0 ||
      !S_ISDIR(st.st_mode)) {
    return {top};
  }
  // Walking the folder costs a stat per file; scanning the cache for URIs below the old place
  // would read every thumbnail of every size.
  namespace fs = std::filesystem;
  const std::string from_dir = AbsoluteNormalizedPath(*top.from_path);
  const std::string to_dir = AbsoluteNormalizedPath(*top.to_path);
  std::vector<Relocation> moved;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(
           to_dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    const std::string to_file = it->path().string();
    const std::string from_file = from_dir + to_file.substr(to_dir.size());
    moved.push_back({CanonicalUri(from_file), CanonicalUri(to_file), from_file, to_file});
  }
  return moved;
}

std::optional<Original> StatIfLocal(const std::optional<std::string>& path) {
  if (!path) return std::nullopt;
  Result<Original> original = StatOriginal(*path);
  if (!original.ok()) return std::nullopt;
  return *original;
}

Result<int> Follow(const Cache& cache, Mode mode, const std::string& from_uri,
                   const std::string& to_uri) {
  int written = 0;
  Status first_error;
  for (const Relocation& r : Relocations(from_uri, to_uri)) {
    if (r.from_uri == r.to_uri) continue;
    const std::optional<Original> to = StatIfLocal(r.to_path);
    // A copy keeps the original, so its thumbnail is checked before it is multiplied.
    const std::optional<Original> from =
        mode == Mode::kCopy ? StatIfLocal(r.from_path) : std::nullopt;
    if (mode == Mode::kCopy && (!from || !to)) continue;
    const std::string from_name = Md5Hex(r.from_uri) + ".png";
    const std::string to_name = Md5Hex(r.to_uri) + ".png";
    for (const std::string& folder : internal::ThumbnailFolders(cache.base_dir())) {
      const std::string from_thumb = folder + "/" + from_name;
      if (access(from_thumb.c_str(), F_OK) != 0) continue;
      const bool usable =
          to && (mode == Mode::kMove ||
                 internal::CheckThumbnail(from_thumb, *from, r.from_uri, false).state ==
                     LookupState::kValid);
      if (usable) {
        Result<bool> carried = CarryOver(from_thumb, folder + "/" + to_name, *to);
        if (carried.ok() && *carried) ++written;
        // A broken thumbnail is just not carried over; a failed write is the environment's.
        if (!carried.ok() && carried.status().code() != StatusCode::kCorrupt && first_error.ok()) {
          first_error = carried.status().WithContext("cache");
        }
      }
      // A moved original's old thumbnail names a file that is gone, whatever became of it.
      if (mode == Mode::kMove) unlink(from_thumb.c_str());
    }
  }
  if (!first_error.ok()) return first_error;
  return written;
}

}  // namespace

Result<int> Cache::Move(const std::string& from_uri, const std::string& to_uri) const {
  return Follow(*this, Mode::kMove, from_uri, to_uri);
}

Result<int> Cache::Copy(const std::string& from_uri, const std::string& to_uri) const {
  return Follow(*this, Mode::kCopy, from_uri, to_uri);
}

}  // namespace tessera::xdg
