// DesktopThumbnailer: the engine first; for a type it does not read, an installed desktop
// thumbnailer, whose picture the engine then decodes into every size.
#include <fmt/format.h>
#include <gio/gio.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>

#include "src/xdg/desktop_process.h"
#include "src/xdg/thumbnailer_registry.h"
#include "src/xdg/thumbnailer_run.h"
#include "tessera/desktop.h"

namespace tessera {
namespace {

// GIO's guess from the name and the first 4 KiB (shared-mime-info, as file managers guess it).
std::string GuessMimeType(const std::string& path) {
  std::string head(4096, '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(std::max<std::streamsize>(0, in.gcount())));
  gboolean uncertain = FALSE;
  gchar* type = g_content_type_guess(path.c_str(), reinterpret_cast<const guchar*>(head.data()),
                                     head.size(), &uncertain);
  gchar* mime = type != nullptr ? g_content_type_get_mime_type(type) : nullptr;
  std::string out = mime != nullptr ? mime : "";
  g_free(mime);
  g_free(type);
  return out;
}

int LargestEdge(const std::vector<Target>& targets) {
  int edge = 0;
  for (const Target& t : targets) edge = std::max({edge, t.max_width, t.max_height});
  return edge;
}

}  // namespace

DesktopThumbnailer::DesktopThumbnailer(const Engine& engine, const xdg::Cache& cache,
                                       DesktopOptions options)
    : engine_(engine), cache_(cache), options_(std::move(options)) {
  if (options_.external.enabled) {
    external_ = std::make_unique<const xdg::ThumbnailerRegistry>(xdg::ThumbnailerRegistry::Load(
        options_.external.dirs.empty() ? xdg::DefaultThumbnailerDirs() : options_.external.dirs));
  }
}

DesktopThumbnailer::~DesktopThumbnailer() = default;

std::vector<std::string> DesktopThumbnailer::ExternalMimeTypes() const {
  return external_ ? external_->MimeTypes() : std::vector<std::string>();
}

FileResult DesktopThumbnailer::Process(const std::string& path) const {
  std::string used;
  auto thumbnail = [&](const std::vector<Target>& targets,
                       Quality quality) -> Result<ThumbnailSet> {
    Result<ThumbnailSet> set = engine_.Thumbnail(path, targets, quality);
    if (set.ok() || set.status().code() != StatusCode::kUnsupported || !external_ ||
        external_->empty()) {
      return set;
    }
    const std::string mime = GuessMimeType(path);
    // A file that claims one of our own types but is not one (a text file named .jpg) keeps
    // the engine's verdict: another program would only be misled the same way.
    const std::vector<std::string>& own = OwnMimeTypes();
    if (std::find(own.begin(), own.end(), mime) != own.end()) return set;
    const xdg::ThumbnailerEntry* entry = external_->Find(mime);
    if (entry == nullptr) return set;
    spdlog::debug("{}: {} is not ours to decode; asking {}", path, mime, entry->file);
    TESSERA_ASSIGN_OR_RETURN(xdg::ExternalOutput output,
                             xdg::RunThumbnailer(*entry, path, xdg::CanonicalUri(path), mime,
                                                 LargestEdge(targets), options_.external));
    // The program's picture is as untrusted as any file: the engine decodes it with its limits.
    Result<ThumbnailSet> made = engine_.Thumbnail(output.path(), targets, Quality::kQuality);
    if (!made.ok()) {
      return Status::Corrupt(fmt::format("{}: thumbnailer {} wrote no readable image ({})", path,
                                         entry->name, made.status().message()));
    }
    // It describes the original only by its type: the picture's size is not the file's.
    made->probe = ProbeInfo{};
    made->probe.mime_type = mime;
    used = entry->name;
    return made;
  };
  FileResult result = internal::ProcessOriginal(path, cache_, options_, thumbnail);
  result.external = used;
  return result;
}

}  // namespace tessera
