// tessera-helper: the isolated decoder process the tessera command starts and talks to over a
// socket (fd 3). It confines itself first (limits, no new privileges, seccomp), then serves
// requests until the command closes the socket. Not meant to be run by hand.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "src/helper/sandbox.h"
#include "src/helper/serve.h"
#include "src/media/vips_modules.h"
#include "tessera/engine.h"

namespace {

bool Flag(const char* arg, const char* name, const char** value) {
  const size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  *value = arg + n + 1;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int fd = -1;
  tessera::helper::SandboxLimits limits;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const char* value = nullptr;
    if (Flag(argv[i], "--fd", &value)) {
      fd = std::atoi(value);
    } else if (Flag(argv[i], "--memory", &value)) {
      limits.address_space_bytes = std::strtoull(value, nullptr, 10);
    } else if (Flag(argv[i], "--cpu-total", &value)) {
      limits.cpu_total_seconds = std::strtoll(value, nullptr, 10);
    } else if (std::strcmp(argv[i], "--verbose") == 0) {
      verbose = true;
    }
  }
  if (fd < 0) {
    std::fprintf(stderr, "tessera-helper: started by the tessera command, not by hand\n");
    return 2;
  }
  auto logger = spdlog::stderr_color_mt("helper");
  logger->set_pattern("tessera-helper: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::warn);

  if (auto s = tessera::helper::ApplyLimits(limits, fd); !s.ok()) {
    spdlog::error("{}", s.ToString());
    return 3;
  }
  // Start-up is paid once per file when a desktop runs `tessera thumbnailer`, so nothing loads
  // before a file needs it: libvips starts without its modules (the PDF and JPEG XL ones open
  // on first use) and ImageMagick on the first file it reads. Opening libraries later only reads
  // files, which the filter allows.
  tessera::media::SkipVipsModulesAtStart();
  if (auto s = tessera::InitHelperRuntime(); !s.ok()) {
    spdlog::error("{}", s.ToString());
    return 3;
  }
  if (auto s = tessera::helper::ApplySeccomp(); !s.ok()) {
    spdlog::error("{}", s.ToString());
    return 3;
  }
  return tessera::helper::Serve(fd);
}
