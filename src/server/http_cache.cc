#include "src/server/http_cache.h"

#include <fmt/format.h>

#include <charconv>

namespace tessera::server {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view Opaque(std::string_view tag) {
  tag = Trim(tag);
  if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
  return tag;
}

// A whole decimal number without sign; false for empty, non-digits or overflow.
bool ParseNumber(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::string MakeETag(std::string_view opaque) { return fmt::format("\"{}\"", opaque); }

bool IfNoneMatchHits(std::string_view header, std::string_view etag) {
  if (Trim(header) == "*") return true;
  const std::string_view want = Opaque(etag);
  while (!header.empty()) {
    const size_t comma = header.find(',');
    const std::string_view item = header.substr(0, comma);
    if (!Trim(item).empty() && Opaque(item) == want) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

RangeVerdict ParseRange(std::string_view header, uint64_t size, ByteRange* range) {
  header = Trim(header);
  constexpr std::string_view kUnit = "bytes=";
  if (header.substr(0, kUnit.size()) != kUnit) return RangeVerdict::kWhole;
  const std::string_view spec = Trim(header.substr(kUnit.size()));
  if (spec.find(',') != std::string_view::npos) return RangeVerdict::kWhole;
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeVerdict::kWhole;
  const std::string_view a = Trim(spec.substr(0, dash));
  const std::string_view b = Trim(spec.substr(dash + 1));
  uint64_t first = 0, last = 0;
  if (a.empty()) {  // suffix: the last b bytes
    uint64_t n = 0;
    if (!ParseNumber(b, &n)) return RangeVerdict::kWhole;
    if (n == 0 || size == 0) return RangeVerdict::kUnsatisfiable;
    first = n >= size ? 0 : size - n;
    last = size - 1;
  } else {
    if (!ParseNumber(a, &first)) return RangeVerdict::kWhole;
    if (b.empty()) {
      last = size == 0 ? 0 : size - 1;
    } else if (!ParseNumber(b, &last) || last < first) {
      return RangeVerdict::kWhole;
    }
    if (first >= size) return RangeVerdict::kUnsatisfiable;
    if (last >= size) last = size - 1;
  }
  *range = ByteRange{first, last};
  return RangeVerdict::kPartial;
}

std::string ContentRange(const ByteRange& range, uint64_t size) {
  return fmt::format("bytes {}-{}/{}", range.first, range.last, size);
}

std::string HttpDate(std::time_t t) {
  // Spelled out rather than strftime's %a/%b, which follow the process's locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} GMT", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace tessera::server
