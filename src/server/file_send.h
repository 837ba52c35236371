// Sends a response head and then part of a file on a non-blocking socket: the head with
// MSG_MORE, so it leaves in the same packet as the body's start, and the body with sendfile(2),
// straight from the page cache without copying it through the process. The transport calls
// Pump whenever the socket can take more; this class only does the system calls.
#ifndef TESSERA_SERVER_FILE_SEND_H_
#define TESSERA_SERVER_FILE_SEND_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "src/core/unique_fd.h"
#include "src/server/http_types.h"

namespace tessera::server {

class FileSend {
 public:
  // Will send `head` (the serialized response head), then bytes [range.first, range.last] of
  // the file open as `fd`, read at explicit offsets (so `fd` may be shared).
  // REQUIRES: the file has at least range.last + 1 bytes.
  FileSend(std::shared_ptr<const UniqueFd> fd, std::string head, ByteRange range)
      : fd_(std::move(fd)),
        head_(std::move(head)),
        offset_(static_cast<off_t>(range.first)),
        body_left_(range.length()) {}

  enum class Progress {
    kDone,     // everything sent
    kBlocked,  // the socket is full: call Pump again when it is writable
    kFailed,   // the peer is gone, or the file shrank under us: drop the connection
  };

  // Sends as much as `socket` (non-blocking) takes now. Raises no SIGPIPE for the head; for
  // the body, the caller's thread must block or ignore SIGPIPE (sendfile has no flag for it).
  Progress Pump(int socket);

  uint64_t remaining() const { return head_.size() - head_sent_ + body_left_; }

 private:
  std::shared_ptr<const UniqueFd> fd_;
  std::string head_;
  size_t head_sent_ = 0;
  off_t offset_;
  uint64_t body_left_;
};

}  // namespace tessera::server

#endif  // TESSERA_SERVER_FILE_SEND_H_
