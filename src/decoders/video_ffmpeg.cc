#include "src/decoders/video_ffmpeg.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <new>
#include <vector>

namespace tessera::decoders::video {
namespace {

struct CapturedLog {
  bool active = false;
  std::string error;
  std::string warning;
  std::vector<std::string> recent;  // the last kRecent warnings and errors
};
constexpr size_t kRecent = 16;
// FFmpeg logs on the thread that called it (we decode with one thread), so a thread-local
// record ties each message to the file this thread is working on.
thread_local CapturedLog t_log;

void LogToSpdlog(void* avcl, int level, const char* fmt, va_list args) {
  if (level > AV_LOG_WARNING) return;
  char line[1024];
  std::vsnprintf(line, sizeof(line), fmt, args);
  std::string text = line;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return;
  for (char& c : text) {
    if (c == '\n') c = ' ';  // one line, for error messages
  }
  if (t_log.active) {
    (level <= AV_LOG_ERROR ? t_log.error : t_log.warning) = text;
    if (t_log.recent.size() == kRecent) t_log.recent.erase(t_log.recent.begin());
    t_log.recent.push_back(text);
  }
  const AVClass* cls = avcl != nullptr ? *static_cast<AVClass**>(avcl) : nullptr;
  const char* name = cls != nullptr && cls->item_name != nullptr ? cls->item_name(avcl) : "-";
  spdlog::debug("ffmpeg: {}: {}", name != nullptr ? name : "-", text);
}

bool IsErrno(int err, int value) { return err == AVERROR(value); }

}  // namespace

FramePtr MakeFrame() {
  AVFrame* frame = av_frame_alloc();
  if (frame == nullptr) throw std::bad_alloc();
  return FramePtr(frame);
}

PacketPtr MakePacket() {
  AVPacket* packet = av_packet_alloc();
  if (packet == nullptr) throw std::bad_alloc();
  return PacketPtr(packet);
}

void InitFfmpegLogging() {
  static std::once_flag once;
  std::call_once(once, [] {
    av_log_set_level(AV_LOG_WARNING);
    av_log_set_callback(&LogToSpdlog);
  });
}

FfmpegLogCapture::FfmpegLogCapture() {
  t_log = CapturedLog{};
  t_log.active = true;
}

FfmpegLogCapture::~FfmpegLogCapture() { t_log = CapturedLog{}; }

std::string FfmpegLogCapture::Detail() const {
  return !t_log.error.empty() ? t_log.error : t_log.warning;
}

bool FfmpegLogCapture::Saw(std::string_view text) const {
  return std::any_of(t_log.recent.begin(), t_log.recent.end(), [text](const std::string& line) {
    return line.find(text) != std::string::npos;
  });
}

std::string AvErrorText(int err) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(err, text, sizeof(text)) < 0) return fmt::format("error {}", err);
  return text;
}

Status AvStatus(const std::string& path, int err, std::string_view what,
                const FfmpegLogCapture& log) {
  std::string detail = log.Detail();
  if (detail.empty()) detail = AvErrorText(err);
  std::string msg = fmt::format("{}: {} ({})", path, what, detail);
  if (IsErrno(err, ENOENT) || IsErrno(err, ENOTDIR) || IsErrno(err, EACCES) ||
      IsErrno(err, EPERM) || IsErrno(err, EIO) || IsErrno(err, EMFILE) || IsErrno(err, ENFILE) ||
      IsErrno(err, EISDIR)) {
    return Status::FromErrno(AVUNERROR(err), path);
  }
  if (err == AVERROR_DECODER_NOT_FOUND || err == AVERROR_DEMUXER_NOT_FOUND ||
      err == AVERROR_PROTOCOL_NOT_FOUND || err == AVERROR_PATCHWELCOME || IsErrno(err, ENOSYS)) {
    return Status::Unsupported(std::move(msg));
  }
  if (IsErrno(err, ENOMEM)) return Status::Internal(std::move(msg));
  // AVERROR_INVALIDDATA, AVERROR_EOF, AVERROR_EXIT (our deadline) and the rest: the file's
  // content is at fault.
  return Status::Corrupt(std::move(msg));
}

}  // namespace tessera::decoders::video
