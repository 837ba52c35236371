// InitEngineRuntime: libvips set up once per process for untrusted input.
#include <spdlog/spdlog.h>
#include <vips/vips.h>

#include <mutex>
#include <string>

#include "tessera/engine.h"

namespace tessera {
namespace {

// libvips warnings ("VIPS-WARNING **: ...") are about single files and are already turned
// into errors where they matter (fail_on); keep them out of stderr.
void LogVipsWarning(const gchar* domain, GLogLevelFlags level, const gchar* message, gpointer) {
  spdlog::debug("{}: {}", domain != nullptr ? domain : "vips", message != nullptr ? message : "");
}

Status InitOnce() {
  if (VIPS_INIT("tessera") != 0) {
    std::string msg = vips_error_buffer();
    vips_error_clear();
    return Status::Internal("libvips: init failed: " + msg);
  }
  // Parallelism comes from thumbnailing several images at once, not from libvips' workers.
  vips_concurrency_set(1);
  // Blocks every loader libvips marks untrusted, the ImageMagick fallback among them; the
  // helper process re-allows the three it calls (InitHelperRuntime).
  vips_block_untrusted_set(TRUE);
  // Each image is decoded once and never again: an operation cache only holds memory.
  vips_cache_set_max(0);
  vips_cache_set_max_mem(0);
  g_log_set_handler("VIPS", static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE),
                    &LogVipsWarning, nullptr);
  spdlog::debug("libvips {} ready: concurrency 1, untrusted loaders blocked",
                vips_version_string());
  return Status::Ok();
}

}  // namespace

Status InitEngineRuntime() {
  static std::once_flag once;
  static Status status;
  std::call_once(once, [] { status = InitOnce(); });
  return status;
}

Status InitHelperRuntime() {
  TESSERA_RETURN_IF_ERROR(InitEngineRuntime());
  static std::once_flag once;
  std::call_once(once, [] {
    vips_operation_block_set("VipsForeignLoadSvg", FALSE);
    vips_operation_block_set("VipsForeignLoadPdf", FALSE);
    vips_operation_block_set("VipsForeignLoadJxl", FALSE);
  });
  return Status::Ok();
}

}  // namespace tessera
