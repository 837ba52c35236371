// `tessera thumbnailer -s SIZE INPUT OUTPUT`: the program behind a desktop .thumbnailer entry
// (Exec=tessera thumbnailer -s %s %u %o). It writes exactly OUTPUT, a PNG, or nothing at all.
#include <glib.h>

#include <memory>

#include "tessera/engine.h"
#include "tessera/image.h"
#include "tessera/xdg.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace tessera::cli {
namespace {

// The desktop passes %u, a URI; people pass paths. Only local files can be read.
Result<std::string> InputPath(const std::string& input) {
  if (input.find("://") == std::string::npos) return input;
  GError* error = nullptr;
  std::unique_ptr<char, decltype(&g_free)> path(g_filename_from_uri(input.c_str(), nullptr, &error),
                                                &g_free);
  if (!path) {
    std::string message = error ? error->message : "not a local file URI";
    g_clear_error(&error);
    return Status::InvalidArgument(input + ": " + message);
  }
  return std::string(path.get());
}

Status Thumbnail(int size, const std::string& input, const std::string& output) {
  TESSERA_ASSIGN_OR_RETURN(std::string path, InputPath(input));
  TESSERA_ASSIGN_OR_RETURN(xdg::Original original, xdg::StatOriginal(path));
  const Engine engine(DefaultEngineOptions());
  TESSERA_ASSIGN_OR_RETURN(ThumbnailSet set, engine.Thumbnail(path, {Target::Square(size)}));
  xdg::ThumbMeta meta;
  meta.mime_type = set.probe.mime_type;
  meta.image_width = set.probe.OrientedWidth();
  meta.image_height = set.probe.OrientedHeight();
  if (set.probe.format == "pdf") meta.pages = set.probe.pages;
  TESSERA_ASSIGN_OR_RETURN(std::string png,
                           EncodePng(set.images.front(), xdg::ThumbKeys(original, meta)));
  return xdg::WriteFileAtomically(output, png, 0600).WithContext(output);
}

}  // namespace

Command RegisterThumbnailer(CLI::App& app) {
  auto size = std::make_shared<int>(256);
  auto input = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "thumbnailer", "Write one PNG thumbnail to OUTPUT (for desktop .thumbnailer entries)");
  sub->add_option("-s,--size", *size, "Longest edge in pixels")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  sub->add_option("input", *input, "File path or file:// URI")->required();
  sub->add_option("output", *output, "PNG to write")->required();
  return {sub, [=] {
            Status status = Thumbnail(*size, *input, *output);
            if (status.ok()) return kExitOk;
            PrintError(status.message());
            return kExitFailed;
          }};
}

}  // namespace tessera::cli
