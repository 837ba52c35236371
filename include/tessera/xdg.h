// The freedesktop.org Thumbnail Managing Standard: names, keys, validity, atomic storage,
// failure records, shared repositories, the 2001 draft's export layout and cleanup.
#ifndef TESSERA_XDG_H_
#define TESSERA_XDG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/image.h"
#include "tessera/status.h"

namespace tessera::xdg {

enum class ThumbSize { kNormal, kLarge, kXLarge, kXXLarge };
inline constexpr ThumbSize kAllSizes[] = {ThumbSize::kNormal, ThumbSize::kLarge, ThumbSize::kXLarge,
                                          ThumbSize::kXXLarge};

std::string_view SizeDirName(ThumbSize size);  // "normal", "large", "x-large", "xx-large"
int SizePixels(ThumbSize size);                // 128, 256, 512, 1024
Result<ThumbSize> ParseThumbSize(std::string_view name);
// The smallest size whose box holds `pixels` (for the thumbnailer's -s): 1..128 normal, ...
ThumbSize SizeForPixels(int pixels);

// $XDG_CACHE_HOME/thumbnails, or ~/.cache/thumbnails when XDG_CACHE_HOME is unset, empty or
// relative (the XDG Base Directory rule).
std::string DefaultCacheDir();

// The absolute, normalised path: `path` made absolute against the working directory, with
// ".", ".." and "//" removed. Symlinks are not resolved (GLib does not).
std::string AbsoluteNormalizedPath(const std::string& path);

// What GLib's g_filename_to_uri makes of AbsoluteNormalizedPath(path): "file:///a%20b.jpg".
std::string CanonicalUri(const std::string& path);

// Lowercase hex MD5 of `text`.
std::string Md5Hex(std::string_view text);

// A stat of the original, taken once and used for keys and validity.
struct Original {
  std::string path;   // absolute, normalised
  std::string uri;    // canonical
  int64_t mtime = 0;  // integer seconds
  uint64_t size = 0;
  uint32_t mode = 0;       // st_mode
  int64_t mtime_nsec = 0;  // the mtime's nanoseconds, copied to the 2001 draft's files
};
// Fails (NotFound, PermissionDenied) when the file cannot be stat'ed or read by this user,
// or is not a regular file.
Result<Original> StatOriginal(const std::string& path);

// What we know about the original, written as Thumb:: keys.
struct ThumbMeta {
  std::string mime_type;
  int image_width = 0;  // 0: omitted
  int image_height = 0;
  int pages = 0;            // Thumb::Document::Pages, written when > 0 and for documents
  double movie_length = 0;  // Thumb::Movie::Length in seconds, written when > 0
};

// The tEXt chunks of a personal-cache thumbnail, in the order we write them.
PngText ThumbKeys(const Original& original, const ThumbMeta& meta);

// Parses Thumb::MTime tolerantly (tumbler writes "1700000000.123456"); nullopt if unparsable.
std::optional<int64_t> ParseMTime(std::string_view text);

enum class LookupState { kValid, kMissing, kStale, kFailed };
struct Lookup {
  LookupState state = LookupState::kMissing;
  std::string path;    // the thumbnail (or failure record) looked at
  std::string reason;  // why it is not valid, for `tessera lookup`
  bool from_shared_repository = false;
};

struct CacheOptions {
  std::string base_dir;       // default: DefaultCacheDir()
  bool write_shared = false;  // also write .sh_thumbnails/ beside the original
  bool read_shared = true;    // consult .sh_thumbnails/ when the personal cache misses
};

// The personal thumbnail cache. Thread-safe; many processes may share one base_dir.
class Cache {
 public:
  explicit Cache(CacheOptions options = {});

  const std::string& base_dir() const { return options_.base_dir; }
  std::string ThumbnailPath(const std::string& uri,
                            ThumbSize size) const;        // <base>/<size>/<md5>.png
  std::string FailurePath(const std::string& uri) const;  // <base>/fail/tessera-<ver>/<md5>.png

  // True when `path` lies inside a thumbnail cache (this one, or any .thumbnails /
  // .sh_thumbnails folder): such files are never thumbnailed.
  bool IsInsideCache(const std::string& absolute_path) const;

  // The valid thumbnail for `original` at `size`: personal cache first, then the shared
  // repository. kFailed when a failure record for this mtime and size exists.
  Lookup Find(const Original& original, ThumbSize size) const;

  // Writes atomically (temp file in the same folder, then rename); folders 0700, file 0600.
  Status Store(const Original& original, ThumbSize size, const Image& image,
               const ThumbMeta& meta) const;

  // Records a permanent failure. Callers pass only failures where IsPermanentFileFailure().
  Status RecordFailure(const Original& original, std::string_view reason) const;
  bool HasFailure(const Original& original) const;

  // --- Following the file manager (the D-Bus Cache1 interface) ---
  // URIs are canonicalised as CanonicalUri does when they are file:// URIs; others are used as
  // given. Each thumbnail is handled in every size folder and in our failure folder.
  //
  // After the original at `from_uri` was moved to `to_uri`: its thumbnails are rewritten with
  // Thumb::URI and Thumb::MTime of the file now at `to_uri` (other keys and the pixels kept)
  // and stored under the new name, atomically and 0600; the old ones are removed. When `to_uri`
  // is a folder, the thumbnails of every file that was below `from_uri` follow it. A thumbnail
  // whose Thumb::Size differs from the file at the new place, or whose new place cannot be
  // stat'ed, is removed rather than carried over. Returns the thumbnails written.
  Result<int> Move(const std::string& from_uri, const std::string& to_uri) const;
  // The same after a copy, except that the originals keep their thumbnails and only
  // thumbnails still valid for the original are carried over. Returns the thumbnails written.
  Result<int> Copy(const std::string& from_uri, const std::string& to_uri) const;
  // Removes the thumbnails of `uri` (an original that was deleted). Returns how many.
  Result<int> Delete(const std::string& uri) const;
  // Removes the thumbnails of originals at or below any of `base_uris` (of every original when
  // the list is empty) that are local files no longer there and, when `since` > 0, those whose
  // Thumb::MTime is older than `since` (seconds since the epoch). Returns how many.
  Result<int> Cleanup(const std::vector<std::string>& base_uris, int64_t since) const;

 private:
  CacheOptions options_;
};

// The thumbnail of `original` in its shared repository (.sh_thumbnails/<size>/ beside it).
std::string SharedThumbnailPath(const std::string& original_path, ThumbSize size);

// Writes bytes to `path` atomically: temp file beside it, fchmod(mode), rename. The temp file
// is removed on any failure; readers never see a torn file.
Status WriteFileAtomically(const std::string& path, std::string_view bytes, uint32_t mode);
// mkdir -p; folders this call creates get `mode` whatever the umask.
Status MakeDirs(const std::string& path, uint32_t mode);

// --- Cleanup ---
struct CleanOptions {
  bool remove_orphans = true;    // thumbnails whose original (file:// URI) is gone
  int older_than_days = -1;      // remove thumbnails not modified for this long; <0: off
  int64_t max_total_bytes = -1;  // trim to this budget, oldest first; <0: off
  bool dry_run = false;
};
struct CleanReport {
  int scanned = 0;
  int removed_orphans = 0;
  int removed_old = 0;
  int removed_for_budget = 0;
  int removed_temp = 0;  // stale temp files from crashed writers
  int64_t bytes_before = 0;
  int64_t bytes_freed = 0;
  std::vector<std::string> removed;  // paths (also listed in a dry run)
};
Result<CleanReport> Clean(const std::string& base_dir, const CleanOptions& options);

// --- The 2001 draft (0.0.1) as an export layout ---
enum class DraftQuality { kHigh, kLow };  // .hq.png (antialiased) or .lq.png (fast)
inline constexpr int kDraftSizes[] = {48, 64, 96, 128, 144, 160};
// <dir of original>/.thumbnails/<W>x<H>/<name>.<hq|lq>.png
std::string DraftThumbnailPath(const std::string& original_path, int edge, DraftQuality quality);
// <dir of original>/.thumbnails/<name>.failed
std::string DraftFailurePath(const std::string& original_path);
// Writes the thumbnail with the draft's keys (Width, Height, Size, Software), mtime set to the
// original's and permissions copied from it.
Status StoreDraft(const Original& original, int edge, DraftQuality quality, const Image& image,
                  int original_width, int original_height);
Status RecordDraftFailure(const Original& original);

}  // namespace tessera::xdg

#endif  // TESSERA_XDG_H_
