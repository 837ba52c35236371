// The generated media of the library (thumbnails, face crops, avatars), stored under
// <data>/media/<kind>/<hash[0..2]>/<hash[2..4]>/<hash>.<ext>. Two levels of hash-prefix shards
// keep every folder small (65,536 leaves; a million photos put about 15 files in each).
#ifndef TESSERA_LIBRARY_MEDIA_STORE_H_
#define TESSERA_LIBRARY_MEDIA_STORE_H_

#include <string>
#include <string_view>

#include "tessera/status.h"

namespace tessera::library {

// The kinds of stored media (folder names, all [a-z_]+) and the file extensions (all
// [a-z0-9]+). Anything else is refused, so a key taken from a URL cannot name another path.
inline constexpr std::string_view kMediaKinds[] = {"thumbnails_big", "square_thumbnails",
                                                   "small_square_thumbnails", "faces", "avatars"};
inline constexpr std::string_view kMediaExtensions[] = {"jpg",  "webp", "png",
                                                        "avif", "mp4",  "webm"};

// The name face `index` of photo `hash` is stored under in kind "faces": "<hash>_<index>".
// REQUIRES: 0 <= index < 10000.
std::string FaceName(std::string_view hash, int index);

// OK when `kind` is in kMediaKinds, `hash` IsContentHash (for "faces": a FaceName) and `ext` in
// kMediaExtensions; otherwise InvalidArgument naming the bad part. Touches no file.
Status ValidateMediaKey(std::string_view kind, std::string_view hash, std::string_view ext);

// Thread-safe: holds only its root; many threads and processes may share one folder. Writes
// are atomic (temp file beside the target, then rename), so a reader or a process killed
// mid-write never leaves a torn file in place. Files are 0600 and folders 0700, whatever the
// umask.
class MediaStore {
 public:
  // Stores under `data_dir`/media. The folders are created on the first Put.
  explicit MediaStore(const std::string& data_dir);

  const std::string& root() const { return root_; }

  // The path of a stored file, whether or not it exists.
  // REQUIRES: ValidateMediaKey(kind, hash, ext).ok(). For trusted keys only; use Path for
  // anything derived from input.
  std::string PathFor(std::string_view kind, std::string_view hash, std::string_view ext) const;
  // As PathFor, or InvalidArgument for a bad key.
  Result<std::string> Path(std::string_view kind, std::string_view hash,
                           std::string_view ext) const;

  // Writes `bytes`, replacing any previous file atomically. Not fsync'ed: a power cut may lose
  // a variant (it is regenerated) but never leaves a torn one at the final path.
  Status Put(std::string_view kind, std::string_view hash, std::string_view ext,
             std::string_view bytes) const;
  // The stored bytes; NotFound when absent.
  Result<std::string> Get(std::string_view kind, std::string_view hash, std::string_view ext) const;
  // True when the key is valid and a regular file is stored under it.
  bool Exists(std::string_view kind, std::string_view hash, std::string_view ext) const;
  // Removes the file. Removing an absent file is OK, so a retried job does not fail. Shard
  // folders are kept: removing them would race with a concurrent Put into the same shard.
  Status Remove(std::string_view kind, std::string_view hash, std::string_view ext) const;

 private:
  std::string root_;
};

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_MEDIA_STORE_H_
