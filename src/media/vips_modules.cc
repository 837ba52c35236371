#include "src/media/vips_modules.h"

#include <gmodule.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <mutex>
#include <string>

namespace tessera::media {

void SkipVipsModulesAtStart() { ::setenv("VIPSHOME", "/nonexistent/tessera-vips-home", 1); }

Status EnsureVipsModuleFor(std::string_view family) {
  const char* name = family == "pdf" ? "poppler" : family == "jxl" ? "jxl" : nullptr;
  if (name == nullptr) return Status::Ok();
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  const std::string path = std::string(TESSERA_VIPS_MODULE_DIR) + "/vips-" + name + ".so";
  // Opening a module twice only counts a reference: libvips registers its loaders once.
  GModule* module = g_module_open(path.c_str(), G_MODULE_BIND_LAZY);
  if (module == nullptr) {
    return Status::Unsupported(std::string("libvips module ") + name +
                               " unavailable: " + g_module_error());
  }
  g_module_make_resident(module);
  spdlog::debug("libvips module {} open", path);
  return Status::Ok();
}

}  // namespace tessera::media
