#include "src/server/file_send.h"

#include <sys/sendfile.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace tessera::server {

FileSend::Progress FileSend::Pump(int socket) {
  while (head_sent_ < head_.size()) {
    const int more = body_left_ > 0 ? MSG_MORE : 0;
    ssize_t n =
        ::send(socket, head_.data() + head_sent_, head_.size() - head_sent_, MSG_NOSIGNAL | more);
    if (n > 0) {
      head_sent_ += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return Progress::kBlocked;
    } else {
      return Progress::kFailed;
    }
  }
  while (body_left_ > 0) {
    // Linux sends at most about 2 GiB per call; ask for no more than 1 GiB.
    const size_t chunk = static_cast<size_t>(std::min<uint64_t>(body_left_, uint64_t{1} << 30));
    ssize_t n = ::sendfile(socket, fd_->get(), &offset_, chunk);  // advances offset_
    if (n > 0) {
      body_left_ -= static_cast<uint64_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return Progress::kBlocked;
    } else {
      return Progress::kFailed;  // 0: the file ended early (truncated under us)
    }
  }
  return Progress::kDone;
}

}  // namespace tessera::server
