// Is this thumbnail still the picture of that file? The spec's check, plus tolerance for what
// other thumbnailers write.
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <charconv>

#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg::internal {
const std::string* FindKey(const PngText& text, std::string_view key) {
  for (const auto& [k, v] : text) {
    if (k == key) return &v;
  }
  return nullptr;
}

namespace {

Lookup Stale(Lookup lookup, std::string reason) {
  lookup.state = LookupState::kStale;
  lookup.reason = std::move(reason);
  return lookup;
}

}  // namespace

Lookup CheckThumbnail(const std::string& path, const Original& original, const std::string& uri,
                      bool shared) {
  Lookup lookup;
  lookup.path = path;
  lookup.from_shared_repository = shared;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    lookup.state = LookupState::kMissing;
    lookup.reason = errno == ENOENT ? "no thumbnail" : Status::FromErrno(errno, path).message();
    return lookup;
  }
  Result<PngText> text = ReadPngText(path);
  if (!text.ok()) return Stale(lookup, "unreadable: " + text.status().message());

  const std::string* thumb_uri = FindKey(*text, "Thumb::URI");
  if (thumb_uri == nullptr && !shared) return Stale(lookup, "no Thumb::URI");
  if (thumb_uri != nullptr && *thumb_uri != uri) {
    return Stale(lookup, fmt::format("Thumb::URI is {}, not {}", *thumb_uri, uri));
  }

  const std::string* mtime_text = FindKey(*text, "Thumb::MTime");
  if (mtime_text == nullptr && !shared) return Stale(lookup, "no Thumb::MTime");
  if (mtime_text != nullptr) {
    std::optional<int64_t> mtime = ParseMTime(*mtime_text);
    if (!mtime) return Stale(lookup, fmt::format("bad Thumb::MTime '{}'", *mtime_text));
    if (*mtime != original.mtime) {
      return Stale(lookup, fmt::format("Thumb::MTime {} differs from the file's {}", *mtime,
                                       original.mtime));
    }
  }

  const std::string* size_text = FindKey(*text, "Thumb::Size");
  if (size_text != nullptr) {
    uint64_t size = 0;
    auto [end, error] =
        std::from_chars(size_text->data(), size_text->data() + size_text->size(), size);
    if (error != std::errc() || end != size_text->data() + size_text->size()) {
      return Stale(lookup, fmt::format("bad Thumb::Size '{}'", *size_text));
    }
    if (size != original.size) {
      return Stale(lookup,
                   fmt::format("Thumb::Size {} differs from the file's {}", size, original.size));
    }
  }
  lookup.state = LookupState::kValid;
  return lookup;
}

}  // namespace tessera::xdg::internal
