#include "src/xdg/desktop_process.h"
#include "tessera/desktop.h"

namespace tessera {

DesktopThumbnailer::DesktopThumbnailer(const Engine& engine, const xdg::Cache& cache,
                                       DesktopOptions options)
    : engine_(engine), cache_(cache), options_(std::move(options)) {}

FileResult DesktopThumbnailer::Process(const std::string& path) const {
  return internal::ProcessOriginal(path, cache_, options_,
                                   [&](const std::vector<Target>& targets, Quality quality) {
                                     return engine_.Thumbnail(path, targets, quality);
                                   });
}

}  // namespace tessera
