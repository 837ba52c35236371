#include "src/pipeline/limits.h"

#include <fmt/format.h>

namespace tessera::pipeline {

Status CheckPixelLimit(const std::string& path, const ProbeInfo& probe, uint64_t max_pixels) {
  if (probe.is_vector) return Status::Ok();
  const uint64_t pixels = static_cast<uint64_t>(probe.width) * static_cast<uint64_t>(probe.height);
  if (pixels <= max_pixels) return Status::Ok();
  const auto megapixels = [](uint64_t n) { return (n + 500'000) / 1'000'000; };
  return Status::TooLarge(fmt::format("{}: {}x{} = {} megapixels exceeds the limit of {}", path,
                                      probe.width, probe.height, megapixels(pixels),
                                      megapixels(max_pixels)));
}

}  // namespace tessera::pipeline
