// The HTTP messages the routes see: plain values, free of any transport's types, so routes are
// pure functions from a Request to a Response and are tested without sockets (http_server.h
// converts to and from Boost.Beast).
#ifndef TESSERA_SERVER_HTTP_TYPES_H_
#define TESSERA_SERVER_HTTP_TYPES_H_

#include <strings.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/server/http_cache.h"

namespace tessera::server {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The value of the first header named `name` (ASCII case-insensitive), or "" when absent.
inline std::string_view FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return {};
}

struct Request {
  std::string method;  // "GET", "HEAD", "POST", ... as sent
  std::string target;  // origin-form: path and optional "?query"
  HeaderList headers;
  std::string body;
  std::string remote_address;  // the peer's IP, for rate limits; may be empty in tests

  std::string_view Header(std::string_view name) const { return FindHeader(headers, name); }
};

// A file (or part of one) to send as the body, streamed by the transport. The router has
// stat'ed it: the transport sends it only while it is still that file (same inode, size and
// modification time).
struct FileBody {
  std::string path;
  ByteRange range;  // inclusive bytes of the file to send
  uint64_t file_size = 0;
  uint64_t inode = 0;
  int64_t mtime_ns = 0;
};

struct Response {
  int status = 200;
  HeaderList headers;  // Content-Length is the transport's business
  std::string body;
  std::optional<FileBody> file;  // when set, sent instead of `body`
  // For HEAD: the length a GET would have sent. The transport announces it and sends nothing.
  std::optional<uint64_t> head_content_length;

  std::string_view Header(std::string_view name) const { return FindHeader(headers, name); }
  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

}  // namespace tessera::server

#endif  // TESSERA_SERVER_HTTP_TYPES_H_
