// InitMagick: ImageMagick's resource limits and security policy, set once per process.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "src/decoders/magick.h"
#include "src/decoders/magick_coders.h"
#include "src/decoders/magick_plus.h"

namespace tessera::decoders {
namespace {

// Denied after the allowlist, so that they stay denied even if one ever lands on it: they
// fetch data, run programs, draw text or vectors, or read files named inside the data.
constexpr const char* kAlwaysDenied =
    "{URL,HTTP,HTTPS,FTP,MVG,MSL,TEXT,TXT,LABEL,CAPTION,PANGO,PS,PS2,PS3,EPS,EPI,EPSF,EPSI,PDF,"
    "PDFA,AI,XPS,SVG,MSVG,RSVG,EPHEMERAL,INLINE,MPC,MIFF,SHOW,WIN,X,VID,PLASMA}";

std::string Join(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::string out;
  for (const auto* list : {&a, &b}) {
    for (const std::string& s : *list) out += (out.empty() ? "" : ",") + s;
  }
  return out;
}

// ImageMagick 6 applies every matching rule in order and the last one wins, so each domain
// starts from "none for everything" and re-allows what we need.
std::string PolicyXml() {
  const std::string allowed = Join(AllowedMagickCoders(), PolicyOnlyMagickNames());
  return fmt::format(
      R"(<policymap>
  <policy domain="delegate" rights="none" pattern="*"/>
  <policy domain="filter" rights="none" pattern="*"/>
  <policy domain="path" rights="none" pattern="*"/>
  <policy domain="path" rights="none" pattern="@*"/>
  <policy domain="coder" rights="none" pattern="*"/>
  <policy domain="coder" rights="read" pattern="{{{0}}}"/>
  <policy domain="coder" rights="none" pattern="{1}"/>
  <policy domain="module" rights="none" pattern="*"/>
  <policy domain="module" rights="read|write" pattern="{{{0}}}"/>
  <policy domain="module" rights="none" pattern="{1}"/>
</policymap>
)",
      allowed, kAlwaysDenied);
}

struct ExceptionFree {
  void operator()(MagickCore::ExceptionInfo* e) const { MagickCore::DestroyExceptionInfo(e); }
};

void SetLimit(MagickCore::ResourceType type, uint64_t value) {
  MagickCore::SetMagickResourceLimit(type, static_cast<MagickCore::MagickSizeType>(value));
}

Status InitOnce(const MagickLimits& limits) {
  Magick::InitializeMagick(nullptr);
  std::unique_ptr<MagickCore::ExceptionInfo, ExceptionFree> exception(
      MagickCore::AcquireExceptionInfo());
  const std::string policy = PolicyXml();
  if (MagickCore::SetMagickSecurityPolicy(policy.c_str(), exception.get()) ==
      MagickCore::MagickFalse) {
    return Status::Internal(fmt::format("ImageMagick: the security policy was refused: {}",
                                        exception->reason != nullptr ? exception->reason : "?"));
  }
  // Lower bounds do not exist: ImageMagick takes the smaller of these and its policy.xml.
  SetLimit(MagickCore::MemoryResource, limits.memory_bytes);
  SetLimit(MagickCore::MapResource, limits.map_bytes);
  SetLimit(MagickCore::DiskResource, limits.disk_bytes);
  SetLimit(MagickCore::AreaResource, limits.area_pixels);
  SetLimit(MagickCore::WidthResource, limits.width);
  SetLimit(MagickCore::HeightResource, limits.height);
  SetLimit(MagickCore::ListLengthResource, limits.list_length);
  SetLimit(MagickCore::ThreadResource, limits.threads);
  if (limits.time_seconds > 0) SetLimit(MagickCore::TimeResource, limits.time_seconds);
  // Trust, but verify: a policy that did not load would leave every coder open.
  using MagickCore::IsRightsAuthorized;
  if (IsRightsAuthorized(MagickCore::CoderPolicyDomain, MagickCore::ReadPolicyRights, "SVG") ||
      IsRightsAuthorized(MagickCore::CoderPolicyDomain, MagickCore::ReadPolicyRights, "MSL") ||
      IsRightsAuthorized(MagickCore::DelegatePolicyDomain, MagickCore::ExecutePolicyRights,
                         "ps:alpha") ||
      !IsRightsAuthorized(MagickCore::CoderPolicyDomain, MagickCore::ReadPolicyRights, "PSD")) {
    return Status::Internal("ImageMagick: the security policy did not take effect");
  }
  spdlog::debug(
      "ImageMagick ready: memory {} map {} disk {} area {} width {} height {} list {} "
      "threads {} time {}; coders {}",
      MagickCore::GetMagickResourceLimit(MagickCore::MemoryResource),
      MagickCore::GetMagickResourceLimit(MagickCore::MapResource),
      MagickCore::GetMagickResourceLimit(MagickCore::DiskResource),
      MagickCore::GetMagickResourceLimit(MagickCore::AreaResource),
      MagickCore::GetMagickResourceLimit(MagickCore::WidthResource),
      MagickCore::GetMagickResourceLimit(MagickCore::HeightResource),
      MagickCore::GetMagickResourceLimit(MagickCore::ListLengthResource),
      MagickCore::GetMagickResourceLimit(MagickCore::ThreadResource),
      MagickCore::GetMagickResourceLimit(MagickCore::TimeResource),
      Join(AllowedMagickCoders(), {}));
  return Status::Ok();
}

}  // namespace

Status InitMagick(const MagickLimits& limits) {
  static std::once_flag once;
  static Status status;
  std::call_once(once, [&] { status = InitOnce(limits); });
  return status;
}

}  // namespace tessera::decoders
