#include "src/decoders/magick_read.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

namespace tessera::decoders {
namespace {

struct ExceptionFree {
  void operator()(MagickCore::ExceptionInfo* e) const { MagickCore::DestroyExceptionInfo(e); }
};
using UniqueException = std::unique_ptr<MagickCore::ExceptionInfo, ExceptionFree>;

bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  return it != haystack.end();
}

// Some limits are raised as image or corrupt-image errors ("width or height exceeds limit"
// comes from SetImageExtent as an ImageError), so the text decides too.
bool SaysTooLarge(std::string_view message) {
  return ContainsNoCase(message, "exceeds limit") ||
         ContainsNoCase(message, "resources exhausted") ||
         ContainsNoCase(message, "allocation failed");
}

MagickFailure KindOf(MagickCore::ExceptionType type, std::string_view message) {
  if (type == MagickCore::ResourceLimitError || type == MagickCore::CacheError ||
      SaysTooLarge(message)) {
    return MagickFailure::kTooLarge;
  }
  if (ContainsNoCase(message, "not supported") || ContainsNoCase(message, "NotSupported") ||
      type == MagickCore::PolicyError || type == MagickCore::MissingDelegateError ||
      type == MagickCore::DelegateError || type == MagickCore::ModuleError ||
      type == MagickCore::OptionError) {
    return MagickFailure::kUnsupported;
  }
  return MagickFailure::kCorrupt;
}

// ImageMagick's texts read "<reason> `<file name>' @ error/tga.c/ReadTGAImage/504" (with our
// blobs the name is empty) and Magick++ puts "<client>: " in front. Only the reason means
// something to a user.
std::string CleanMessage(std::string text) {
  const char* client = MagickCore::GetClientName();
  if (client != nullptr && *client != '\0') {
    const std::string prefix = std::string(client) + ": ";
    if (text.compare(0, prefix.size(), prefix) == 0) text.erase(0, prefix.size());
  }
  if (const size_t at = text.find(" @ "); at != std::string::npos) text.resize(at);
  if (text.size() >= 3 && text.compare(text.size() - 3, 3, " `'") == 0)
    text.resize(text.size() - 3);
  return text.empty() ? "unknown error" : text;
}

std::string Describe(const MagickCore::ExceptionInfo& e) {
  std::string out = CleanMessage(e.reason != nullptr ? e.reason : "");
  if (e.description != nullptr && *e.description != '\0') {
    out += " (" + CleanMessage(e.description) + ")";
  }
  return out;
}

}  // namespace

Status MagickStatus(const std::string& path, MagickFailure kind, std::string_view message) {
  std::string msg = fmt::format("{}: ImageMagick: {}", path, message);
  switch (kind) {
    case MagickFailure::kTooLarge:
      return Status::TooLarge(std::move(msg));
    case MagickFailure::kUnsupported:
      return Status::Unsupported(std::move(msg));
    case MagickFailure::kCorrupt:
      return Status::Corrupt(std::move(msg));
    case MagickFailure::kInternal:
      break;
  }
  return Status::Internal(std::move(msg));
}

Result<std::vector<Magick::Image>> ReadMagick(const std::string& path, std::string_view bytes,
                                              const std::string& coder, const MagickRead& how) {
  UniqueException exception(MagickCore::AcquireExceptionInfo());
  Magick::ReadOptions options;
  MagickCore::ImageInfo* info = options.imageInfo();
  // "PSD:" names the coder as Magick++'s Image::magick() does: SetImageInfo then marks it as
  // affirmed, and ReadImage skips the magic-byte detection that would pick another coder.
  std::snprintf(info->filename, sizeof(info->filename), "%s:", coder.c_str());
  MagickCore::SetImageInfo(info, 1, exception.get());
  if (coder != info->magick || info->affirm == MagickCore::MagickFalse) {
    return MagickStatus(path, MagickFailure::kUnsupported,
                        fmt::format("no coder named \"{}\"", coder));
  }
  MagickCore::ClearMagickException(exception.get());
  info->ping = how.ping ? MagickCore::MagickTrue : MagickCore::MagickFalse;
  if (how.first_only) {
    info->scene = 0;
    info->number_scenes = 1;
  }
  MagickCore::Image* images =
      MagickCore::BlobToImage(info, bytes.data(), bytes.size(), exception.get());
  std::vector<Magick::Image> list;
  Magick::insertImages(&list, images);  // the list owns them from here
  if (exception->severity >= MagickCore::ErrorException) {
    const std::string message = Describe(*exception);
    return MagickStatus(path, KindOf(exception->severity, message), message);
  }
  if (exception->severity != MagickCore::UndefinedException) {
    spdlog::debug("ImageMagick: {}: warning: {}", path, Describe(*exception));
  }
  if (list.empty()) return MagickStatus(path, MagickFailure::kCorrupt, "no image in the data");
  for (Magick::Image& image : list) image.quiet(true);  // later warnings are not failures
  return list;
}

Status MagickExceptionStatus(const std::string& path, const Magick::Exception& e,
                             bool during_load) {
  const std::string message = CleanMessage(e.what());
  MagickFailure kind = during_load ? MagickFailure::kCorrupt : MagickFailure::kInternal;
  if (dynamic_cast<const Magick::ErrorResourceLimit*>(&e) != nullptr ||
      dynamic_cast<const Magick::ErrorCache*>(&e) != nullptr || SaysTooLarge(message)) {
    kind = MagickFailure::kTooLarge;
  } else if (ContainsNoCase(message, "not supported") || ContainsNoCase(message, "NotSupported") ||
             dynamic_cast<const Magick::ErrorPolicy*>(&e) != nullptr ||
             dynamic_cast<const Magick::ErrorMissingDelegate*>(&e) != nullptr ||
             dynamic_cast<const Magick::ErrorDelegate*>(&e) != nullptr ||
             dynamic_cast<const Magick::ErrorModule*>(&e) != nullptr ||
             dynamic_cast<const Magick::ErrorOption*>(&e) != nullptr) {
    kind = MagickFailure::kUnsupported;
  }
  return MagickStatus(path, kind, message);
}

}  // namespace tessera::decoders
