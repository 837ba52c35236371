#include "src/library/media_store.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdint>
#include <iterator>

#include "src/library/content_hash.h"
#include "src/media/file_bytes.h"
#include "tessera/xdg.h"

namespace tessera::library {
namespace {

constexpr uint32_t kFileMode = 0600;
constexpr uint32_t kDirMode = 0700;
// Get reads a whole file into memory; a stored variant is a thumbnail or a short clip.
constexpr uint64_t kMaxGetBytes = 1ull << 30;

constexpr bool AllOf(std::string_view s, bool (*allowed)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), allowed);
}
constexpr bool IsKindChar(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
constexpr bool IsExtChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// The allowlists are part of the path syntax: hold them to it at compile time.
constexpr bool AllowlistsWellFormed() {
  for (std::string_view kind : kMediaKinds) {
    if (!AllOf(kind, IsKindChar)) return false;
  }
  for (std::string_view ext : kMediaExtensions) {
    if (!AllOf(ext, IsExtChar)) return false;
  }
  return true;
}
static_assert(AllowlistsWellFormed());

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

std::string DirName(const std::string& path) { return path.substr(0, path.rfind('/')); }

// "<hash>_<n>": a content hash, '_', and 1 to 4 decimal digits without a leading zero.
bool IsFaceName(std::string_view name) {
  if (name.size() < kContentHashHexLength + 2 || name[kContentHashHexLength] != '_') return false;
  std::string_view digits = name.substr(kContentHashHexLength + 1);
  return IsContentHash(name.substr(0, kContentHashHexLength)) && digits.size() <= 4 &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         (digits.size() == 1 || digits[0] != '0');
}

}  // namespace

std::string FaceName(std::string_view hash, int index) { return fmt::format("{}_{}", hash, index); }

Status ValidateMediaKey(std::string_view kind, std::string_view hash, std::string_view ext) {
  // Messages quote only what passed the allowlist; the rest may be anything from a URL.
  if (!Contains(kMediaKinds, kind)) return Status::InvalidArgument("media: unknown kind");
  if (!IsContentHash(hash) && !(kind == "faces" && IsFaceName(hash))) {
    return Status::InvalidArgument("media: malformed content hash");
  }
  if (!Contains(kMediaExtensions, ext)) {
    return Status::InvalidArgument(fmt::format("media: {}: unknown extension", kind));
  }
  return Status::Ok();
}

MediaStore::MediaStore(const std::string& data_dir) : root_(data_dir + "/media") {}

std::string MediaStore::PathFor(std::string_view kind, std::string_view hash,
                                std::string_view ext) const {
  assert(ValidateMediaKey(kind, hash, ext).ok());
  return fmt::format("{}/{}/{}/{}/{}.{}", root_, kind, hash.substr(0, 2), hash.substr(2, 2), hash,
                     ext);
}

Result<std::string> MediaStore::Path(std::string_view kind, std::string_view hash,
                                     std::string_view ext) const {
  TESSERA_RETURN_IF_ERROR(ValidateMediaKey(kind, hash, ext));
  return PathFor(kind, hash, ext);
}

Status MediaStore::Put(std::string_view kind, std::string_view hash, std::string_view ext,
                       std::string_view bytes) const {
  TESSERA_ASSIGN_OR_RETURN(std::string path, Path(kind, hash, ext));
  TESSERA_RETURN_IF_ERROR(xdg::MakeDirs(DirName(path), kDirMode));
  return xdg::WriteFileAtomically(path, bytes, kFileMode);
}

Result<std::string> MediaStore::Get(std::string_view kind, std::string_view hash,
                                    std::string_view ext) const {
  TESSERA_ASSIGN_OR_RETURN(std::string path, Path(kind, hash, ext));
  return media::ReadFileBytes(path, kMaxGetBytes);
}

bool MediaStore::Exists(std::string_view kind, std::string_view hash, std::string_view ext) const {
  Result<std::string> path = Path(kind, hash, ext);
  struct stat st;
  return path.ok() && stat(path->c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Status MediaStore::Remove(std::string_view kind, std::string_view hash,
                          std::string_view ext) const {
  TESSERA_ASSIGN_OR_RETURN(std::string path, Path(kind, hash, ext));
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::FromErrno(errno, fmt::format("media: remove {}", path));
  }
  return Status::Ok();
}

}  // namespace tessera::library
