// Failure records: fail/tessera-<version>/<md5>.png, a 1x1 transparent PNG with the keys that
// say which version of the file failed. A changed mtime or size makes the record void.
#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg {

Status Cache::RecordFailure(const Original& original, std::string_view reason) const {
  Image pixel{1, 1, std::vector<uint8_t>(4, 0)};
  PngText keys = {{"Thumb::URI", original.uri},
                  {"Thumb::MTime", std::to_string(original.mtime)},
                  {"Thumb::Size", std::to_string(original.size)},
                  {"Software", internal::SoftwareName()}};
  // An extension key (the spec's X- namespace) keeps the reason for `tessera lookup`; tEXt is
  // Latin-1 without NULs, so anything else is replaced.
  std::string printable(reason.substr(0, 1024));
  for (char& c : printable) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  }
  if (!printable.empty()) keys.emplace_back("X-Tessera::Error", printable);
  TESSERA_ASSIGN_OR_RETURN(std::string png, EncodePng(pixel, keys));
  std::string path = FailurePath(original.uri);
  TESSERA_RETURN_IF_ERROR(MakeDirs(internal::DirName(path), 0700).WithContext("record failure"));
  return WriteFileAtomically(path, png, 0600).WithContext("record failure");
}

bool Cache::HasFailure(const Original& original) const {
  return internal::CheckThumbnail(FailurePath(original.uri), original, original.uri, false).state ==
         LookupState::kValid;
}

}  // namespace tessera::xdg
