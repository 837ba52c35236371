// LibRaw held safely: the processor on the heap, its error codes as Status values naming the
// file, its data-error reports (which LibRaw would print to stderr) recorded and logged, and
// its processed images freed by a unique_ptr.
#ifndef TESSERA_DECODERS_RAW_LIBRAW_H_
#define TESSERA_DECODERS_RAW_LIBRAW_H_

#include <libraw/libraw.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "tessera/status.h"

namespace tessera::decoders {

// Files whose raw data (or upright output) declare more pixels than this are refused before
// anything is unpacked: as EngineOptions::max_pixels, real 200 MP cameras pass.
inline constexpr uint64_t kMaxRawPixels = 300'000'000;

// "<path>: LibRaw: <libraw_strerror(code)>", classified: Unsupported for formats LibRaw does
// not handle, TooLarge for its memory limits, Internal for call-order bugs, Corrupt otherwise.
Status LibRawStatus(const std::string& path, int code);

struct ProcessedImageFree {
  void operator()(libraw_processed_image_t* image) const { LibRaw::dcraw_clear_mem(image); }
};
using ProcessedImage = std::unique_ptr<libraw_processed_image_t, ProcessedImageFree>;

// One LibRaw processor (about 380 KB, so never on the stack) opened on a file's bytes.
// Not thread-safe; use one per thread.
class RawProcessor {
 public:
  // open_buffer, then the pixel guard (kMaxRawPixels on the raw and on the output size).
  // REQUIRES: `bytes` outlives the processor: LibRaw reads it in place, without copying.
  static Result<std::unique_ptr<RawProcessor>> Open(const std::string& path,
                                                    std::string_view bytes);
  RawProcessor(const RawProcessor&) = delete;
  RawProcessor& operator=(const RawProcessor&) = delete;
  ~RawProcessor();

  LibRaw& lr() { return *lr_; }
  const LibRaw& lr() const { return *lr_; }
  const std::string& path() const { return path_; }

  // LibRaw's steps only run forward (adjust_sizes_info_only, for one, forbids a later unpack):
  // recycles the processor and opens the same bytes again. Options in imgdata.params stay.
  Status Reopen();

  // The Status for a LibRaw return code, or OK for LIBRAW_SUCCESS when the data did not run
  // out meanwhile: LibRaw pads a truncated raw with garbage and only reports it through its
  // data-error callback, which this turns into Corrupt.
  Status Check(int code) const;

  // Where the embedded preview's bytes end (offset + length), 0 when unknown. A preview that
  // ends past the file's end is truncated: LibRaw would hand back uninitialised bytes.
  uint64_t PreviewEnd() const;
  uint64_t file_size() const { return bytes_.size(); }

 private:
  RawProcessor(const std::string& path, std::string_view bytes);
  Status OpenBuffer();
  static void OnDataError(void* self, const char* file, int offset);
  static void OnMemoryError(void* self, const char* file, const char* where);

  std::unique_ptr<LibRaw> lr_;
  std::string path_;
  std::string_view bytes_;
  bool hit_end_of_data_ = false;
  int data_errors_ = 0;
};

}  // namespace tessera::decoders

#endif  // TESSERA_DECODERS_RAW_LIBRAW_H_
