#include "src/isolate/protocol.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace tessera::isolate {
namespace {

// A header is a few hundred bytes; blobs are RGBA thumbnails (xx-large is 1024x1024x4).
constexpr uint32_t kMaxHeaderBytes = 1 << 20;
constexpr uint32_t kMaxBlobs = 64;
constexpr uint64_t kMaxBlobBytes = 256ull << 20;

bool SendAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Reads exactly `size` bytes. kOk, kClosed (EOF), kTimedOut or kBroken (socket error).
Received::State RecvAll(int fd, void* data, size_t size, const Deadline& deadline,
                        std::string* error) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    int timeout_ms = -1;
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return Received::State::kTimedOut;
      timeout_ms = static_cast<int>(left.count()) + 1;
    }
    pollfd pfd{fd, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      *error = std::strerror(errno);
      return Received::State::kBroken;
    }
    if (ready == 0) continue;  // the deadline check above decides
    const ssize_t n = ::recv(fd, p, size, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) {
      if (errno == ECONNRESET) return Received::State::kClosed;
      *error = std::strerror(errno);
      return Received::State::kBroken;
    }
    if (n == 0) return Received::State::kClosed;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return Received::State::kOk;
}

}  // namespace

Status SendMessage(int fd, const Message& message) {
  const std::string header = message.header.dump();
  std::string prefix(8 + 8 * message.blobs.size(), '\0');
  const uint32_t header_bytes = static_cast<uint32_t>(header.size());
  const uint32_t blob_count = static_cast<uint32_t>(message.blobs.size());
  std::memcpy(prefix.data(), &header_bytes, 4);
  std::memcpy(prefix.data() + 4, &blob_count, 4);
  for (size_t i = 0; i < message.blobs.size(); ++i) {
    const uint64_t size = message.blobs[i].size();
    std::memcpy(prefix.data() + 8 + 8 * i, &size, 8);
  }
  bool ok = SendAll(fd, prefix.data(), prefix.size()) && SendAll(fd, header.data(), header.size());
  for (const std::string& blob : message.blobs) ok = ok && SendAll(fd, blob.data(), blob.size());
  if (!ok) return Status::IOError("helper connection closed while sending");
  return Status::Ok();
}

Received ReceiveMessage(int fd, Deadline deadline) {
  Received out;
  uint32_t counts[2];
  out.state = RecvAll(fd, counts, sizeof counts, deadline, &out.error);
  if (out.state != Received::State::kOk) return out;
  const uint32_t header_bytes = counts[0];
  const uint32_t blob_count = counts[1];
  if (header_bytes > kMaxHeaderBytes || blob_count > kMaxBlobs) {
    out.state = Received::State::kBroken;
    out.error = "message framing out of range";
    return out;
  }
  std::vector<uint64_t> sizes(blob_count);
  if (blob_count > 0) {
    out.state = RecvAll(fd, sizes.data(), 8 * sizes.size(), deadline, &out.error);
    if (out.state != Received::State::kOk) return out;
  }
  for (uint64_t size : sizes) {
    if (size > kMaxBlobBytes) {
      out.state = Received::State::kBroken;
      out.error = "message blob too large";
      return out;
    }
  }
  std::string header(header_bytes, '\0');
  out.state = RecvAll(fd, header.data(), header.size(), deadline, &out.error);
  if (out.state != Received::State::kOk) return out;
  out.message.header = nlohmann::json::parse(header, nullptr, /*allow_exceptions=*/false);
  if (out.message.header.is_discarded()) {
    out.state = Received::State::kBroken;
    out.error = "message header is not JSON";
    return out;
  }
  for (uint64_t size : sizes) {
    std::string blob(size, '\0');
    out.state = RecvAll(fd, blob.data(), blob.size(), deadline, &out.error);
    if (out.state != Received::State::kOk) return out;
    out.message.blobs.push_back(std::move(blob));
  }
  return out;
}

}  // namespace tessera::isolate
