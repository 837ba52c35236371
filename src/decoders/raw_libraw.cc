#include "src/decoders/raw_libraw.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <new>

namespace tessera::decoders {

Status LibRawStatus(const std::string& path, int code) {
  std::string msg = fmt::format("{}: LibRaw: {}", path, libraw_strerror(code));
  switch (code) {
    case LIBRAW_FILE_UNSUPPORTED:
    case LIBRAW_NOT_IMPLEMENTED:
    case LIBRAW_NO_THUMBNAIL:
    case LIBRAW_UNSUPPORTED_THUMBNAIL:
      return Status::Unsupported(std::move(msg));
    case LIBRAW_UNSUFFICIENT_MEMORY:
    case LIBRAW_TOO_BIG:
    case LIBRAW_MEMPOOL_OVERFLOW:
      return Status::TooLarge(std::move(msg));
    case LIBRAW_OUT_OF_ORDER_CALL:
    case LIBRAW_CANCELLED_BY_CALLBACK:
    case LIBRAW_BAD_CROP:
      return Status::Internal(std::move(msg));
    default:  // data, I/O (from a buffer: truncation), nonexistent image, unspecified
      return Status::Corrupt(std::move(msg));
  }
}

RawProcessor::RawProcessor(const std::string& path, std::string_view bytes)
    : lr_(std::make_unique<LibRaw>(LIBRAW_OPTIONS_NONE)), path_(path), bytes_(bytes) {
  lr_->set_dataerror_handler(&RawProcessor::OnDataError, this);
  lr_->set_memerror_handler(&RawProcessor::OnMemoryError, this);
}

RawProcessor::~RawProcessor() = default;

Result<std::unique_ptr<RawProcessor>> RawProcessor::Open(const std::string& path,
                                                         std::string_view bytes) {
  std::unique_ptr<RawProcessor> raw;
  try {
    raw.reset(new RawProcessor(path, bytes));
  } catch (const std::bad_alloc&) {
    return Status::TooLarge(path + ": LibRaw: out of memory");
  }
  TESSERA_RETURN_IF_ERROR(raw->OpenBuffer());
  return raw;
}

Status RawProcessor::OpenBuffer() {
  hit_end_of_data_ = false;
  data_errors_ = 0;
  // LibRaw's buffer stream only reads; the API merely lacks the const.
  TESSERA_RETURN_IF_ERROR(Check(lr_->open_buffer(const_cast<char*>(bytes_.data()), bytes_.size())));
  const libraw_image_sizes_t& s = lr_->imgdata.sizes;
  if (s.width == 0 || s.height == 0 || s.raw_width == 0 || s.raw_height == 0) {
    return Status::Corrupt(path_ + ": LibRaw: the file declares no image size");
  }
  const uint64_t raw_pixels = uint64_t{s.raw_width} * s.raw_height;
  const uint64_t pixels = uint64_t{s.width} * s.height;
  if (raw_pixels > kMaxRawPixels || pixels > kMaxRawPixels) {
    return Status::TooLarge(fmt::format("{}: LibRaw: {}x{} raw pixels exceed the limit of {}",
                                        path_, s.raw_width, s.raw_height, kMaxRawPixels));
  }
  return Status::Ok();
}

Status RawProcessor::Reopen() {
  lr_->recycle();
  return OpenBuffer();
}

Status RawProcessor::Check(int code) const {
  if (hit_end_of_data_) {
    return Status::Corrupt(path_ + ": LibRaw: unexpected end of data (truncated file)");
  }
  if (code == LIBRAW_SUCCESS) return Status::Ok();
  return LibRawStatus(path_, code);
}

uint64_t RawProcessor::PreviewEnd() const {
  const INT64 offset = lr_->get_internal_data_pointer()->internal_data.toffset;
  if (offset <= 0) return 0;
  return static_cast<uint64_t>(offset) + lr_->imgdata.thumbnail.tlength;
}

void RawProcessor::OnDataError(void* self, const char* file, int offset) {
  auto* raw = static_cast<RawProcessor*>(self);
  ++raw->data_errors_;
  if (offset < 0) {
    raw->hit_end_of_data_ = true;
    spdlog::debug("LibRaw: {}: unexpected end of data", raw->path_);
  } else if (raw->data_errors_ <= 3) {
    // dcraw's decoders report bad values and go on; the image is usually still fine.
    spdlog::debug("LibRaw: {}: data corrupted at offset {}", raw->path_, offset);
  }
}

void RawProcessor::OnMemoryError(void* self, const char* file, const char* where) {
  auto* raw = static_cast<RawProcessor*>(self);
  spdlog::debug("LibRaw: {}: out of memory in {}", raw->path_, where != nullptr ? where : "?");
}

}  // namespace tessera::decoders
