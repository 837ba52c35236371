#include "src/decoders/video_clip_mp4.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <new>

namespace tessera::decoders::video {

struct MemoryMp4::File {
  std::string data;
  int64_t pos = 0;
  uint64_t max_bytes = 0;
  bool overflowed = false;
};

namespace {

constexpr int kIoBufferBytes = 64 << 10;

// A read-only view of a File for the faststart pass, with its own position.
struct ReadView {
  const MemoryMp4::File* file;
  int64_t pos = 0;
};

// FFmpeg's seek semantics over `size` bytes, moving `pos`.
int64_t SeekIn(int64_t* pos, int64_t size, int64_t offset, int whence) {
  whence &= ~AVSEEK_FORCE;
  if (whence == AVSEEK_SIZE) return size;
  int64_t base = 0;
  if (whence == SEEK_CUR) {
    base = *pos;
  } else if (whence == SEEK_END) {
    base = size;
  } else if (whence != SEEK_SET) {
    return AVERROR(EINVAL);
  }
  if (base + offset < 0) return AVERROR(EINVAL);
  *pos = base + offset;
  return *pos;
}

int WriteFile(void* opaque, uint8_t* buf, int size) {
  auto* file = static_cast<MemoryMp4::File*>(opaque);
  const uint64_t end = static_cast<uint64_t>(file->pos) + static_cast<uint64_t>(size);
  if (end > file->max_bytes) {
    file->overflowed = true;
    return AVERROR(EFBIG);
  }
  // No exception may cross FFmpeg's C frames.
  if (end > file->data.size()) {
    try {
      file->data.resize(end);
    } catch (const std::bad_alloc&) {
      return AVERROR(ENOMEM);
    }
  }
  std::memcpy(file->data.data() + file->pos, buf, static_cast<size_t>(size));
  file->pos = static_cast<int64_t>(end);
  return size;
}

int64_t SeekFile(void* opaque, int64_t offset, int whence) {
  auto* file = static_cast<MemoryMp4::File*>(opaque);
  return SeekIn(&file->pos, static_cast<int64_t>(file->data.size()), offset, whence);
}

int ReadFromView(void* opaque, uint8_t* buf, int size) {
  auto* view = static_cast<ReadView*>(opaque);
  const int64_t left = static_cast<int64_t>(view->file->data.size()) - view->pos;
  if (left <= 0) return AVERROR_EOF;
  const int n = static_cast<int>(std::min<int64_t>(left, size));
  std::memcpy(buf, view->file->data.data() + view->pos, static_cast<size_t>(n));
  view->pos += n;
  return n;
}

int64_t SeekView(void* opaque, int64_t offset, int whence) {
  auto* view = static_cast<ReadView*>(opaque);
  return SeekIn(&view->pos, static_cast<int64_t>(view->file->data.size()), offset, whence);
}

// AVFormatContext.io_open: movenc's faststart pass reopens its output by name to read back
// what it wrote. Anything else (a write) is refused.
int OpenView(AVFormatContext* s, AVIOContext** pb, const char* /*url*/, int flags,
             AVDictionary** /*options*/) {
  if ((flags & AVIO_FLAG_WRITE) != 0) return AVERROR(EPERM);
  auto* view = new (std::nothrow) ReadView{static_cast<const MemoryMp4::File*>(s->opaque)};
  auto* buffer = static_cast<uint8_t*>(av_malloc(kIoBufferBytes));
  AVIOContext* io =
      view != nullptr && buffer != nullptr
          ? avio_alloc_context(buffer, kIoBufferBytes, 0, view, &ReadFromView, nullptr, &SeekView)
          : nullptr;
  if (io == nullptr) {
    delete view;
    av_free(buffer);
    return AVERROR(ENOMEM);
  }
  *pb = io;
  return 0;
}

int CloseView(AVFormatContext* /*s*/, AVIOContext* pb) {
  delete static_cast<ReadView*>(pb->opaque);
  av_freep(&pb->buffer);
  avio_context_free(&pb);
  return 0;
}

}  // namespace

void MemoryMp4::IoFree::operator()(AVIOContext* io) const {
  av_freep(&io->buffer);
  avio_context_free(&io);
}

MemoryMp4::MemoryMp4(const std::string& path, uint64_t max_bytes, const FfmpegLogCapture& log)
    : path_(path), log_(log), file_(std::make_unique<File>()) {
  file_->max_bytes = max_bytes;
}

MemoryMp4::~MemoryMp4() = default;

Status MemoryMp4::Check(int err, const char* what) const {
  if (file_->overflowed) {
    return Status::TooLarge(
        fmt::format("{}: the clip would be over {} bytes", path_, file_->max_bytes));
  }
  if (err >= 0) return Status::Ok();
  return Status::Internal(fmt::format("{}: {} ({})", path_, what,
                                      log_.Detail().empty() ? AvErrorText(err) : log_.Detail()));
}

Result<std::unique_ptr<MemoryMp4>> MemoryMp4::Create(const std::string& path,
                                                     const AVCodecContext& encoder,
                                                     uint64_t max_bytes,
                                                     const FfmpegLogCapture& log) {
  std::unique_ptr<MemoryMp4> mp4(new MemoryMp4(path, max_bytes, log));
  auto* buffer = static_cast<uint8_t*>(av_malloc(kIoBufferBytes));
  if (buffer == nullptr) throw std::bad_alloc();
  mp4->io_.reset(avio_alloc_context(buffer, kIoBufferBytes, 1, mp4->file_.get(), nullptr,
                                    &WriteFile, &SeekFile));
  if (mp4->io_ == nullptr) {
    av_free(buffer);
    throw std::bad_alloc();
  }
  AVFormatContext* format = nullptr;
  int err = avformat_alloc_output_context2(&format, nullptr, "mp4", nullptr);
  if (err < 0) return mp4->Check(err, "cannot set up the MP4 muxer");
  mp4->format_.reset(format);
  format->pb = mp4->io_.get();
  format->flags |= AVFMT_FLAG_CUSTOM_IO;
  format->opaque = mp4->file_.get();
  format->io_open = &OpenView;
  format->io_close2 = &CloseView;
  mp4->stream_ = avformat_new_stream(format, nullptr);
  if (mp4->stream_ == nullptr) throw std::bad_alloc();
  err = avcodec_parameters_from_context(mp4->stream_->codecpar, &encoder);
  if (err < 0) return mp4->Check(err, "cannot describe the clip's stream");
  mp4->stream_->time_base = encoder.time_base;
  mp4->stream_->avg_frame_rate = encoder.framerate;
  mp4->stream_->sample_aspect_ratio = encoder.sample_aspect_ratio;
  AVDictionary* options = nullptr;
  av_dict_set(&options, "movflags", "+faststart", 0);
  err = avformat_write_header(format, &options);
  av_dict_free(&options);
  if (err < 0) return mp4->Check(err, "cannot write the MP4 header");
  return mp4;
}

Status MemoryMp4::Write(AVPacket& packet, AVRational time_base) {
  packet.stream_index = stream_->index;
  av_packet_rescale_ts(&packet, time_base, stream_->time_base);
  return Check(av_interleaved_write_frame(format_.get(), &packet), "cannot mux the clip");
}

Result<std::string> MemoryMp4::Finish() {
  assert(!finished_);
  finished_ = true;
  TESSERA_RETURN_IF_ERROR(Check(av_write_trailer(format_.get()), "cannot finish the MP4"));
  avio_flush(io_.get());
  TESSERA_RETURN_IF_ERROR(Check(io_->error, "cannot finish the MP4"));
  return std::move(file_->data);
}

}  // namespace tessera::decoders::video
