// HTTP caching and partial content as pure functions: entity tags, If-None-Match, byte ranges
// and HTTP dates (RFC 9110), for the media endpoints.
#ifndef TESSERA_SERVER_HTTP_CACHE_H_
#define TESSERA_SERVER_HTTP_CACHE_H_

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace tessera::server {

// A strong entity tag: `opaque` in double quotes. REQUIRES: no '"' in opaque.
std::string MakeETag(std::string_view opaque);

// True when If-None-Match `header` lists `etag` (weak comparison: W/ prefixes ignored) or is
// "*": the client's copy is current and the answer is 304.
bool IfNoneMatchHits(std::string_view header, std::string_view etag);

struct ByteRange {
  uint64_t first = 0;  // inclusive
  uint64_t last = 0;   // inclusive
  uint64_t length() const { return last - first + 1; }
};

enum class RangeVerdict {
  kWhole,          // no Range header, or one we ignore (not bytes, several ranges): 200
  kPartial,        // one satisfiable range: 206 with Content-Range
  kUnsatisfiable,  // 416 with Content-Range: bytes */size
};

// Interprets a Range header against a representation of `size` bytes: "bytes=a-b", "bytes=a-"
// and "bytes=-n" (the last n bytes); `last` is clamped to size - 1. Several ranges are served
// whole (a decision: video players ask for one). Malformed headers are ignored (200), as RFC
// 9110 allows.
RangeVerdict ParseRange(std::string_view header, uint64_t size, ByteRange* range);

// "bytes first-last/size".
std::string ContentRange(const ByteRange& range, uint64_t size);

// IMF-fixdate, as Last-Modified wants it: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDate(std::time_t t);

}  // namespace tessera::server

#endif  // TESSERA_SERVER_HTTP_CACHE_H_
