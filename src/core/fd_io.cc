#include "src/core/fd_io.h"

#include <unistd.h>

#include <cerrno>

namespace tessera {

Status WriteAll(int fd, std::string_view bytes, std::string_view context) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno(errno, context);
    if (n == 0) return Status::IOError(std::string(context) + ": nothing was written");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Result<std::string> ReadToEnd(int fd, std::string_view context) {
  std::string bytes;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno(errno, context);
    if (n == 0) return bytes;
    bytes.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace tessera
