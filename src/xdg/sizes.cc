#include <fmt/format.h>

#include "tessera/xdg.h"

namespace tessera::xdg {

std::string_view SizeDirName(ThumbSize size) {
  switch (size) {
    case ThumbSize::kNormal:
      return "normal";
    case ThumbSize::kLarge:
      return "large";
    case ThumbSize::kXLarge:
      return "x-large";
    case ThumbSize::kXXLarge:
      return "xx-large";
  }
  return "normal";
}

int SizePixels(ThumbSize size) {
  switch (size) {
    case ThumbSize::kNormal:
      return 128;
    case ThumbSize::kLarge:
      return 256;
    case ThumbSize::kXLarge:
      return 512;
    case ThumbSize::kXXLarge:
      return 1024;
  }
  return 128;
}

Result<ThumbSize> ParseThumbSize(std::string_view name) {
  for (ThumbSize size : kAllSizes) {
    if (name == SizeDirName(size)) return size;
  }
  return Status::InvalidArgument(
      fmt::format("unknown thumbnail size '{}' (normal, large, x-large, xx-large)", name));
}

ThumbSize SizeForPixels(int pixels) {
  for (ThumbSize size : kAllSizes) {
    if (pixels <= SizePixels(size)) return size;
  }
  return ThumbSize::kXXLarge;
}

}  // namespace tessera::xdg
