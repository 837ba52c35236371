#include "src/app/avatar.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>

#include "src/core/fd_io.h"
#include "src/core/unique_fd.h"
#include "tessera/image.h"

namespace tessera::app {
namespace {

// Removes the file when it goes out of scope.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

Result<std::string> MakeAvatarPng(const Engine& engine, const std::string& temp_dir,
                                  std::string_view image_bytes) {
  std::string pattern = temp_dir + "/upload-XXXXXX";
  int raw = ::mkostemp(pattern.data(), O_CLOEXEC);  // mode 0600
  if (raw < 0) return Status::FromErrno(errno, fmt::format("avatar: {}", temp_dir));
  UniqueFd fd(raw);
  TempFile temp(pattern);
  TESSERA_RETURN_IF_ERROR(WriteAll(fd.get(), image_bytes, "avatar: writing the upload"));
  fd = UniqueFd();
  Result<ThumbnailSet> set = engine.Thumbnail(temp.path(), {Target::CroppedSquare(kAvatarEdge)});
  if (!set.ok()) {
    // The engine names the temp file; the client knows it only as "the upload", and must not
    // learn the server's paths.
    std::string message = set.status().message();
    for (size_t at; (at = message.find(temp.path())) != std::string::npos;) {
      message.replace(at, temp.path().size(), "the upload");
    }
    return Status(set.status().code(), message);
  }
  if (set->images.size() != 1) return Status::Internal("avatar: the engine returned no image");
  return EncodePng(set->images[0], {});
}

}  // namespace tessera::app
