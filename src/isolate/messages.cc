#include "src/isolate/messages.h"

#include <fmt/format.h>

namespace tessera::isolate {
namespace {

using nlohmann::json;

template <typename T>
T Get(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    return fallback;
  }
}

const char* OpName(HelperRequest::Op op) {
  switch (op) {
    case HelperRequest::Op::kProbe:
      return "probe";
    case HelperRequest::Op::kThumbnail:
      return "thumbnail";
    case HelperRequest::Op::kClip:
      return "clip";
  }
  return "";
}

json ClipToJson(const ClipOptions& c) {
  return json{{"edge", c.edge},
              {"seconds", c.seconds},
              {"start_seconds", c.start_seconds.has_value() ? json(*c.start_seconds) : json()},
              {"max_fps", c.max_fps},
              {"crf", c.crf},
              {"preset", c.preset},
              {"max_bytes", c.max_bytes}};
}

ClipOptions ClipFromJson(const json& j) {
  const ClipOptions defaults;
  ClipOptions c;
  c.edge = Get<int>(j, "edge", defaults.edge);
  c.seconds = Get<double>(j, "seconds", defaults.seconds);
  if (auto it = j.find("start_seconds"); it != j.end() && it->is_number()) {
    c.start_seconds = it->get<double>();
  }
  c.max_fps = Get<int>(j, "max_fps", defaults.max_fps);
  c.crf = Get<int>(j, "crf", defaults.crf);
  c.preset = Get<std::string>(j, "preset", defaults.preset);
  c.max_bytes = Get<uint64_t>(j, "max_bytes", defaults.max_bytes);
  return c;
}

// A failed reply's status, with the helper's code and message.
Status ErrorFromReply(const json& j) {
  const int code = Get<int>(j, "code", static_cast<int>(StatusCode::kInternal));
  const bool known =
      code > static_cast<int>(StatusCode::kOk) && code <= static_cast<int>(StatusCode::kInternal);
  std::string message = Get<std::string>(j, "message", "helper failed without a message");
  return Status(known ? static_cast<StatusCode>(code) : StatusCode::kInternal, std::move(message));
}

}  // namespace

json ProbeToJson(const ProbeInfo& info) {
  return json{{"mime_type", info.mime_type},
              {"format", info.format},
              {"width", info.width},
              {"height", info.height},
              {"orientation", info.orientation},
              {"pages", info.pages},
              {"bands", info.bands},
              {"bits_per_sample", info.bits_per_sample},
              {"has_alpha", info.has_alpha},
              {"has_icc_profile", info.has_icc_profile},
              {"interpretation", info.interpretation},
              {"is_vector", info.is_vector},
              {"file_size", info.file_size},
              {"duration_seconds", info.duration_seconds}};
}

ProbeInfo ProbeFromJson(const json& j) {
  ProbeInfo info;
  info.mime_type = Get<std::string>(j, "mime_type", "");
  info.format = Get<std::string>(j, "format", "");
  info.width = Get<int>(j, "width", 0);
  info.height = Get<int>(j, "height", 0);
  info.orientation = Get<int>(j, "orientation", 1);
  info.pages = Get<int>(j, "pages", 1);
  info.bands = Get<int>(j, "bands", 0);
  info.bits_per_sample = Get<int>(j, "bits_per_sample", 8);
  info.has_alpha = Get<bool>(j, "has_alpha", false);
  info.has_icc_profile = Get<bool>(j, "has_icc_profile", false);
  info.interpretation = Get<std::string>(j, "interpretation", "");
  info.is_vector = Get<bool>(j, "is_vector", false);
  info.file_size = Get<uint64_t>(j, "file_size", 0);
  info.duration_seconds = Get<double>(j, "duration_seconds", 0.0);
  return info;
}

Message EncodeRequest(const HelperRequest& r) {
  json targets = json::array();
  for (const Target& t : r.targets) {
    targets.push_back({t.max_width, t.max_height, t.fit == Target::Fit::kCrop ? 1 : 0});
  }
  Message m;
  m.header = json{{"op", OpName(r.op)},
                  {"path", r.path},
                  {"mime_type", r.mime_type},
                  {"family", r.family},
                  {"targets", targets},
                  {"quality", r.quality == Quality::kFast ? "fast" : "quality"},
                  {"max_pixels", r.max_pixels},
                  {"max_file_bytes", r.max_file_bytes},
                  {"cpu_seconds", r.cpu_seconds},
                  {"fault", r.fault},
                  {"clip", r.op == HelperRequest::Op::kClip ? ClipToJson(r.clip) : json()}};
  return m;
}

Result<HelperRequest> DecodeRequest(const Message& m) {
  const json& j = m.header;
  HelperRequest r;
  const std::string op = Get<std::string>(j, "op", "");
  if (op == "probe") {
    r.op = HelperRequest::Op::kProbe;
  } else if (op == "thumbnail") {
    r.op = HelperRequest::Op::kThumbnail;
  } else if (op == "clip") {
    r.op = HelperRequest::Op::kClip;
    auto it = j.find("clip");
    if (it == j.end() || !it->is_object()) {
      return Status::InvalidArgument("helper: clip request without its options");
    }
    r.clip = ClipFromJson(*it);
  } else {
    return Status::InvalidArgument("helper: unknown op");
  }
  r.path = Get<std::string>(j, "path", "");
  r.mime_type = Get<std::string>(j, "mime_type", "");
  r.family = Get<std::string>(j, "family", "");
  r.quality = Get<std::string>(j, "quality", "") == "fast" ? Quality::kFast : Quality::kQuality;
  r.max_pixels = Get<uint64_t>(j, "max_pixels", 0);
  r.max_file_bytes = Get<uint64_t>(j, "max_file_bytes", 0);
  r.cpu_seconds = Get<int>(j, "cpu_seconds", 0);
  r.fault = Get<std::string>(j, "fault", "");
  if (auto it = j.find("targets"); it != j.end()) {
    if (!it->is_array()) return Status::InvalidArgument("helper: targets must be a list");
    for (const json& t : *it) {
      if (!t.is_array() || t.size() != 3 || !t[0].is_number_integer() ||
          !t[1].is_number_integer() || !t[2].is_number_integer()) {
        return Status::InvalidArgument("helper: malformed target");
      }
      r.targets.push_back(Target{t[0].get<int>(), t[1].get<int>(),
                                 t[2].get<int>() == 1 ? Target::Fit::kCrop : Target::Fit::kInside});
    }
  }
  if (r.path.empty()) return Status::InvalidArgument("helper: request without a path");
  return r;
}

Message EncodeReply(const ThumbnailSet& set) {
  Message m;
  json sizes = json::array();
  for (const Image& image : set.images) {
    sizes.push_back({image.width, image.height});
    m.blobs.emplace_back(reinterpret_cast<const char*>(image.rgba.data()), image.rgba.size());
  }
  m.header = json{{"ok", true}, {"probe", ProbeToJson(set.probe)}, {"images", sizes}};
  return m;
}

Message EncodeError(const Status& status) {
  Message m;
  m.header =
      json{{"ok", false}, {"code", static_cast<int>(status.code())}, {"message", status.message()}};
  return m;
}

Result<ThumbnailSet> DecodeReply(const Message& m) {
  const json& j = m.header;
  if (!Get<bool>(j, "ok", false)) return ErrorFromReply(j);
  if (j.contains("clip")) return Status::Internal("helper reply: a clip, not thumbnails");
  ThumbnailSet set;
  set.probe = ProbeFromJson(j.value("probe", json::object()));
  const json sizes = j.value("images", json::array());
  if (!sizes.is_array() || sizes.size() != m.blobs.size()) {
    return Status::Internal("helper reply: image count does not match its data");
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    const json& size = sizes[i];
    if (!size.is_array() || size.size() != 2 || !size[0].is_number_integer() ||
        !size[1].is_number_integer()) {
      return Status::Internal(fmt::format("helper reply: image {} has no size", i));
    }
    Image image;
    image.width = size[0].get<int>();
    image.height = size[1].get<int>();
    const std::string& blob = m.blobs[i];
    if (image.width <= 0 || image.height <= 0 ||
        blob.size() != static_cast<size_t>(image.width) * image.height * 4) {
      return Status::Internal(fmt::format("helper reply: image {} has the wrong size", i));
    }
    image.rgba.assign(blob.begin(), blob.end());
    set.images.push_back(std::move(image));
  }
  return set;
}

Message EncodeClipReply(const std::string& mp4) {
  Message m;
  m.header = json{{"ok", true}, {"clip", {{"bytes", mp4.size()}}}};
  m.blobs.push_back(mp4);
  return m;
}

Result<std::string> DecodeClipReply(const Message& m) {
  const json& j = m.header;
  if (!Get<bool>(j, "ok", false)) return ErrorFromReply(j);
  auto it = j.find("clip");
  if (it == j.end() || !it->is_object()) return Status::Internal("helper reply: not a clip");
  if (m.blobs.size() != 1 || Get<uint64_t>(*it, "bytes", 0) != m.blobs[0].size() ||
      m.blobs[0].empty()) {
    return Status::Internal("helper reply: the clip's size does not match its data");
  }
  return m.blobs[0];
}

}  // namespace tessera::isolate
