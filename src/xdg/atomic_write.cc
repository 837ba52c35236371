// Atomic replacement: a reader sees the old file or the new one, never a torn one. No fsync: a
// thumbnail cache may lose a file in a crash, and readers reject a torn PNG anyway.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

#include "src/core/fd_io.h"
#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the error (a delayed write error on NFS shows up here).
  int Close() {
    int rc = close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// Removes the temp file unless it was renamed into place.
class TempFileGuard {
 public:
  explicit TempFileGuard(std::string path) : path_(std::move(path)) {}
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;
  ~TempFileGuard() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  void Release() { path_.clear(); }

 private:
  std::string path_;
};

}  // namespace

Status MakeDirs(const std::string& path, uint32_t mode) {
  if (path.empty()) return Status::InvalidArgument("mkdir: empty path");
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    std::string prefix = path.substr(0, pos);
    if (prefix.empty() || prefix == "/") continue;
    if (mkdir(prefix.c_str(), mode) == 0) {
      // The umask narrowed (or a default ACL widened) the mode: set exactly what was asked.
      if (chmod(prefix.c_str(), mode) != 0) return Status::FromErrno(errno, prefix);
      continue;
    }
    int err = errno;
    struct stat st;
    if (err == EEXIST && stat(prefix.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) continue;
      err = ENOTDIR;
    }
    return Status::FromErrno(err, fmt::format("mkdir {}", prefix));
  }
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes, uint32_t mode) {
  return internal::WriteFileAtomicallyWithTime(path, bytes, mode, std::nullopt);
}

namespace internal {

Status WriteFileAtomicallyWithTime(const std::string& path, std::string_view bytes, uint32_t mode,
                                   std::optional<struct timespec> mtime) {
  // ".<name>.XXXXXX" beside the target: same filesystem, so rename is atomic; hidden, and Clean
  // recognises it when a crashed writer leaves it behind.
  std::string temp = fmt::format("{}/.{}.XXXXXX", DirName(path), BaseName(path));
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  UniqueFd fd(mkostemp(name.data(), O_CLOEXEC));
  if (fd.get() < 0) return Status::FromErrno(errno, fmt::format("create temp file for {}", path));
  temp = name.data();
  TempFileGuard guard(temp);

  TESSERA_RETURN_IF_ERROR(WriteAll(fd.get(), bytes, fmt::format("write {}", temp)));
  // mkstemp made it 0600 already; fchmod states the mode whatever the umask.
  if (fchmod(fd.get(), mode) != 0) return Status::FromErrno(errno, fmt::format("chmod {}", temp));
  if (mtime) {
    struct timespec times[2] = {*mtime, *mtime};
    if (futimens(fd.get(), times) != 0) {
      return Status::FromErrno(errno, fmt::format("set mtime of {}", temp));
    }
  }
  if (fd.Close() != 0) return Status::FromErrno(errno, fmt::format("close {}", temp));
  if (rename(temp.c_str(), path.c_str()) != 0) {
    return Status::FromErrno(errno, fmt::format("rename to {}", path));
  }
  guard.Release();
  return Status::Ok();
}

}  // namespace internal
}  // namespace tessera::xdg
