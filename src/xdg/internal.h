// Helpers shared by the files of src/xdg; not part of the public API.
#ifndef TESSERA_XDG_INTERNAL_H_
#define TESSERA_XDG_INTERNAL_H_

#include <sys/stat.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/xdg.h"

namespace tessera::xdg::internal {

// "tessera <version>", the Software key.
std::string SoftwareName();
// "tessera-<version>", our folder under fail/.
std::string FailureDirName();

// The last path component of the canonical URI: "a%20b.jpg".
std::string EscapedBasename(const std::string& uri);
// The shared repository's relative URI: "./a%20b.jpg".
std::string SharedUri(const Original& original);
std::string DirName(const std::string& path);
std::string BaseName(const std::string& path);

// Checks the thumbnail at `path` against the original. In a personal cache Thumb::URI must equal
// `uri` and Thumb::MTime must be present; in a shared repository (`shared`) each is checked only
// when present. Thumb::Size is checked when present.
Lookup CheckThumbnail(const std::string& path, const Original& original, const std::string& uri,
                      bool shared);

// Writes the thumbnail into the shared repository beside the original.
Status StoreShared(const Original& original, ThumbSize size, const Image& image,
                   const ThumbMeta& meta);

// WriteFileAtomically, also setting the file's modification time (before the rename, so no
// reader sees the file with the wrong time).
Status WriteFileAtomicallyWithTime(const std::string& path, std::string_view bytes, uint32_t mode,
                                   std::optional<struct timespec> mtime);

// The 2001 draft's validity: the file exists and its mtime equals the original's.
bool DraftFileMatches(const std::string& path, const Original& original);

// Permission bits of the folder holding `path` (for folders created beside an original).
uint32_t ParentDirMode(const std::string& path);

// The value of `key`, or null.
const std::string* FindKey(const PngText& text, std::string_view key);

// "<32 lowercase hex>.png": a thumbnail's name (anything else in a cache folder is a temp file).
bool IsThumbnailName(std::string_view name);

// The folders of `base_dir` that hold thumbnails of originals, named by the MD5 of the URI:
// one per size, and our failure folder.
std::vector<std::string> ThumbnailFolders(const std::string& base_dir);

// The thumbnails (by IsThumbnailName) directly inside `dir`; a missing folder has none.
std::vector<std::string> ThumbnailFilesIn(const std::string& dir);

// The local path a file:// URI names (GLib's g_filename_from_uri; "localhost" only), or nullopt.
std::optional<std::string> LocalPathOfUri(const std::string& uri);

// CanonicalUri of the path a file:// URI names; any other URI as it is.
std::string CanonicalFormOfUri(const std::string& uri);

// True when `uri` is `base` or names something below it ("file:///a/b" is below "file:///a").
bool IsAtOrBelow(std::string_view uri, std::string_view base);

}  // namespace tessera::xdg::internal

#endif  // TESSERA_XDG_INTERNAL_H_
