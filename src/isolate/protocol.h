// The wire between the command and its decoder helpers: length-prefixed messages over a
// Unix stream socket, each a JSON header and zero or more binary blobs (pixels).
//
//   u32 header_bytes | u32 blob_count | u64 blob_bytes[blob_count] | header | blobs...
//
// Little-endian (both ends are the same machine and build). Sizes are checked against limits
// before anything is allocated, so a confused peer cannot make the reader allocate gigabytes.
#ifndef TESSERA_ISOLATE_PROTOCOL_H_
#define TESSERA_ISOLATE_PROTOCOL_H_

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tessera/status.h"

namespace tessera::isolate {

struct Message {
  nlohmann::json header;
  std::vector<std::string> blobs;
};

// Writes the whole message (never raises SIGPIPE). IOError when the peer is gone.
Status SendMessage(int fd, const Message& message);

using Deadline = std::optional<std::chrono::steady_clock::time_point>;

struct Received {
  enum class State { kOk, kClosed, kTimedOut, kBroken };
  State state = State::kBroken;
  Message message;    // when kOk
  std::string error;  // when kBroken: what was wrong with the bytes or the socket
};

// Reads one message, waiting at most until `deadline` (forever when empty). kClosed when the
// peer closed the socket before a message began or in the middle of one.
Received ReceiveMessage(int fd, Deadline deadline);

}  // namespace tessera::isolate

#endif  // TESSERA_ISOLATE_PROTOCOL_H_
