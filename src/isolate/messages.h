// What the command asks a helper and what it answers, as protocol messages.
#ifndef TESSERA_ISOLATE_MESSAGES_H_
#define TESSERA_ISOLATE_MESSAGES_H_

#include <string>
#include <vector>

#include "src/isolate/protocol.h"
#include "tessera/engine.h"

namespace tessera::isolate {

struct HelperRequest {
  enum class Op { kProbe, kThumbnail, kClip };
  Op op = Op::kThumbnail;
  std::string path;
  std::string mime_type;  // as the command routed it
  std::string family;     // "svg", "pdf", "jxl", "video", "raw", "magick"
  std::vector<Target> targets;
  Quality quality = Quality::kQuality;
  ClipOptions clip;  // kClip only
  uint64_t max_pixels = 0;
  uint64_t max_file_bytes = 0;
  int cpu_seconds = 0;  // CPU budget for this request
  // Fault injection for the isolation tests ("crash", "hang", ...); empty in real use.
  std::string fault;
};

Message EncodeRequest(const HelperRequest& request);
Result<HelperRequest> DecodeRequest(const Message& message);

// The answer to a probe or thumbnail request: the probe and, for thumbnails, one RGBA blob per
// target in order.
Message EncodeReply(const ThumbnailSet& set);
// A failed request: the status's code and message travel unchanged.
Message EncodeError(const Status& status);
// The set (images empty for probes), or the helper's error.
Result<ThumbnailSet> DecodeReply(const Message& message);

// The answer to a clip request: the MP4's bytes as the one blob.
Message EncodeClipReply(const std::string& mp4);
// The MP4, or the helper's error. A reply that is not a clip's is refused (Internal).
Result<std::string> DecodeClipReply(const Message& message);

nlohmann::json ProbeToJson(const ProbeInfo& info);
ProbeInfo ProbeFromJson(const nlohmann::json& json);

}  // namespace tessera::isolate

#endif  // TESSERA_ISOLATE_MESSAGES_H_
