#include "src/media/file_bytes.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "src/core/unique_fd.h"

namespace tessera::media {
namespace {

// Opens a regular file for reading; `size` gets its size.
Result<UniqueFd> OpenRegular(const std::string& path, uint64_t* size) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno(errno, path);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return Status::FromErrno(errno, path);
  if (!S_ISREG(st.st_mode)) return Status::Unsupported(path + ": not a regular file");
  *size = static_cast<uint64_t>(st.st_size);
  return fd;
}

// Up to `limit` bytes from the start; fewer if the file ends (or shrinks while we read).
Result<std::string> ReadUpTo(const std::string& path, int fd, uint64_t limit) {
  std::string bytes(limit, '\0');
  size_t done = 0;
  while (done < limit) {
    const ssize_t n = ::read(fd, bytes.data() + done, limit - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno(errno, path);
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

}  // namespace

Result<std::string> ReadFileBytes(const std::string& path, uint64_t max_bytes) {
  uint64_t size = 0;
  TESSERA_ASSIGN_OR_RETURN(UniqueFd fd, OpenRegular(path, &size));
  if (size > max_bytes) {
    return Status::TooLarge(
        fmt::format("{}: {} bytes exceeds the file size limit of {} bytes", path, size, max_bytes));
  }
  return ReadUpTo(path, fd.get(), size);
}

Result<std::string> ReadFileHead(const std::string& path, size_t max_bytes) {
  uint64_t size = 0;
  TESSERA_ASSIGN_OR_RETURN(UniqueFd fd, OpenRegular(path, &size));
  return ReadUpTo(path, fd.get(), std::min<uint64_t>(size, max_bytes));
}

}  // namespace tessera::media
