// The decisions of DesktopThumbnailer::Process, with the engine passed in as a function so that
// they can be tested without decoding anything.
#ifndef TESSERA_XDG_DESKTOP_PROCESS_H_
#define TESSERA_XDG_DESKTOP_PROCESS_H_

#include <functional>
#include <string>
#include <vector>

#include "tessera/desktop.h"
#include "tessera/engine.h"

namespace tessera::internal {

// Engine::Thumbnail for one file.
using ThumbnailFn =
    std::function<Result<ThumbnailSet>(const std::vector<Target>& targets, Quality quality)>;

FileResult ProcessOriginal(const std::string& path, const xdg::Cache& cache,
                           const DesktopOptions& options, const ThumbnailFn& thumbnail);

}  // namespace tessera::internal

#endif  // TESSERA_XDG_DESKTOP_PROCESS_H_
