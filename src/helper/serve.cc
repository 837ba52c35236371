#include "src/helper/serve.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <new>

#include "src/decoders/magick.h"
#include "src/decoders/raw.h"
#include "src/decoders/video.h"
#include "src/decoders/video_clip.h"
#include "src/helper/fault.h"
#include "src/helper/sandbox.h"
#include "src/media/file_bytes.h"
#include "src/media/vips_modules.h"
#include "src/pipeline/derive.h"

namespace tessera::helper {
namespace {

using isolate::HelperRequest;

// A helper whose parent vanished while it was stuck ends itself after this long.
constexpr unsigned kWatchdogFloorSeconds = 60;

bool ProbeOnly(const HelperRequest& r) { return r.op == HelperRequest::Op::kProbe; }

// What a decoder must deliver for this request's targets, once it knows the upright size.
decoders::MinSizeFn MinSizeFor(const HelperRequest& r) {
  return [&r](const ProbeInfo& up) { return pipeline::DecodeMinimum(up, r.targets, r.quality); };
}

Result<ThumbnailSet> Finish(const HelperRequest& r, Result<decoders::Decoded> decoded) {
  if (!decoded.ok()) return decoded.status();
  decoded->info.mime_type = r.mime_type;
  decoded->info.format = r.family;
  if (static_cast<uint64_t>(decoded->info.width) * decoded->info.height > r.max_pixels &&
      r.max_pixels > 0 && r.family != "video") {
    return Status::TooLarge(fmt::format("{}: {}x{} exceeds the pixel limit of {}", r.path,
                                        decoded->info.width, decoded->info.height, r.max_pixels));
  }
  return pipeline::ThumbnailFromDecoded(r.path, decoded->info, decoded->image, r.targets,
                                        r.quality);
}

ThumbnailSet ProbeSet(ProbeInfo info, const HelperRequest& r) {
  info.mime_type = r.mime_type;
  info.format = r.family;
  return ThumbnailSet{std::move(info), {}};
}

Result<ThumbnailSet> HandleVideo(const HelperRequest& r) {
  if (ProbeOnly(r)) {
    TESSERA_ASSIGN_OR_RETURN(ProbeInfo info, decoders::ProbeVideo(r.path));
    return ProbeSet(std::move(info), r);
  }
  return Finish(r, decoders::DecodeVideo(r.path, MinSizeFor(r)));
}

Result<ThumbnailSet> HandleRaw(const HelperRequest& r) {
  TESSERA_ASSIGN_OR_RETURN(const std::string bytes, media::ReadFileBytes(r.path, r.max_file_bytes));
  if (ProbeOnly(r)) {
    TESSERA_ASSIGN_OR_RETURN(ProbeInfo info, decoders::ProbeRaw(r.path, bytes));
    return ProbeSet(std::move(info), r);
  }
  return Finish(r, decoders::DecodeRaw(r.path, bytes, MinSizeFor(r)));
}

Result<ThumbnailSet> HandleMagick(const HelperRequest& r) {
  const std::string coder = decoders::MagickCoderForMime(r.mime_type);
  if (coder.empty()) return Status::Unsupported(r.path + ": unsupported file type " + r.mime_type);
  TESSERA_ASSIGN_OR_RETURN(const std::string bytes, media::ReadFileBytes(r.path, r.max_file_bytes));
  if (ProbeOnly(r)) {
    TESSERA_ASSIGN_OR_RETURN(ProbeInfo info, decoders::ProbeMagick(r.path, bytes, coder));
    return ProbeSet(std::move(info), r);
  }
  return Finish(r, decoders::DecodeMagick(r.path, bytes, coder, MinSizeFor(r)));
}

Result<ThumbnailSet> HandleVips(const HelperRequest& r, const Engine& engine) {
  if (Status s = media::EnsureVipsModuleFor(r.family); !s.ok()) return s.WithContext(r.path);
  if (ProbeOnly(r)) {
    TESSERA_ASSIGN_OR_RETURN(ProbeInfo info, engine.Probe(r.path));
    return ThumbnailSet{std::move(info), {}};
  }
  return engine.Thumbnail(r.path, r.targets, r.quality);
}

}  // namespace

Result<ThumbnailSet> Handle(const HelperRequest& r, const Engine& vips_engine) {
  try {
    if (!r.fault.empty()) return InjectFault(r.fault);
    if (!ProbeOnly(r) && r.targets.empty()) {
      return Status::InvalidArgument(r.path + ": no target sizes");
    }
    if (r.family == "video") return HandleVideo(r);
    if (r.family == "raw") return HandleRaw(r);
    if (r.family == "magick") return HandleMagick(r);
    if (r.family == "svg" || r.family == "pdf" || r.family == "jxl")
      return HandleVips(r, vips_engine);
    return Status::Unsupported(r.path + ": unsupported file type " + r.mime_type);
  } catch (const std::bad_alloc&) {
    return Status::TooLarge(r.path + ": the decoder ran out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(fmt::format("{}: decoder failed: {}", r.path, e.what()));
  }
}

Result<std::string> HandleClip(const HelperRequest& r) {
  try {
    if (!r.fault.empty()) {
      Result<ThumbnailSet> fault = InjectFault(r.fault);
      return fault.ok() ? Status::Internal("fault " + r.fault + " did nothing") : fault.status();
    }
    if (r.family != "video") return Status::Unsupported(r.path + ": not a video: no clip");
    return decoders::MakeVideoClip(r.path, r.clip);
  } catch (const std::bad_alloc&) {
    return Status::TooLarge(r.path + ": the video encoder ran out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(fmt::format("{}: video clip failed: {}", r.path, e.what()));
  }
}

namespace {

isolate::Message Answer(const HelperRequest& r, const Engine& vips_engine) {
  if (r.op == HelperRequest::Op::kClip) {
    Result<std::string> clip = HandleClip(r);
    return clip.ok() ? isolate::EncodeClipReply(*clip) : isolate::EncodeError(clip.status());
  }
  Result<ThumbnailSet> result = Handle(r, vips_engine);
  return result.ok() ? isolate::EncodeReply(*result) : isolate::EncodeError(result.status());
}

}  // namespace

int Serve(int fd) {
  EngineOptions options;
  options.isolation.enabled = false;
  const Engine vips_engine(options);
  while (true) {
    isolate::Received in = isolate::ReceiveMessage(fd, std::nullopt);
    if (in.state == isolate::Received::State::kClosed) return 0;
    if (in.state != isolate::Received::State::kOk) {
      spdlog::error("helper: bad request: {}", in.error);
      return 2;
    }
    Result<HelperRequest> request = isolate::DecodeRequest(in.message);
    isolate::Message reply;
    if (!request.ok()) {
      reply = isolate::EncodeError(request.status());
    } else {
      SetRequestCpuBudget(request->cpu_seconds);
      ::alarm(std::max<unsigned>(kWatchdogFloorSeconds, 4u * request->cpu_seconds));
      reply = Answer(*request, vips_engine);
      ::alarm(0);
    }
    if (!isolate::SendMessage(fd, reply).ok()) return 0;  // the command went away
  }
}

}  // namespace tessera::helper
