#include "src/decoders/video.h"

#include <spdlog/spdlog.h>

#include "src/decoders/video_convert.h"
#include "src/decoders/video_pick.h"
#include "src/decoders/video_source.h"
#include "src/pipeline/plan.h"

namespace tessera::decoders {

Result<ProbeInfo> ProbeVideo(const std::string& path) {
  TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<video::VideoSource> source,
                           video::VideoSource::Open(path));
  return source->info();
}

Result<Decoded> DecodeVideo(const std::string& path, const MinSizeFn& min_size) {
  TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<video::VideoSource> source,
                           video::VideoSource::Open(path));
  const ProbeInfo& info = source->info();
  const Size display{info.width, info.height};
  Size box = min_size(info);
  if (box.width <= 0 || box.height <= 0) box = display;
  const Size out = pipeline::FitInside(display, box.width, box.height);

  TESSERA_RETURN_IF_ERROR(source->OpenDecoder());
  TESSERA_ASSIGN_OR_RETURN(video::PickedFrame picked, video::PickFrame(*source));
  TESSERA_ASSIGN_OR_RETURN(vips::VImage image,
                           video::ConvertFrame(path, *picked.frame, out, source->transform()));
  spdlog::debug("video: {}: {}x{} thumbnail source after {} packets", path, out.width, out.height,
                source->packets_read());
  return Decoded{info, std::move(image)};
}

}  // namespace tessera::decoders
