// Small stored files (thumbnails, face crops, avatars) kept in memory, so that answering one
// costs a stat and a single write instead of an open and a read per 4 KiB chunk. Entries are
// checked against the file's inode, size and mtime on every use, so a regenerated file is
// never served stale; the least recently used are dropped past a byte budget.
#ifndef TESSERA_SERVER_FILE_CACHE_H_
#define TESSERA_SERVER_FILE_CACHE_H_

#include <sys/stat.h>

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tessera::server {

class FileCache {
 public:
  // Files over `max_file_bytes` are never cached; the cache holds at most `budget_bytes`.
  FileCache(uint64_t max_file_bytes, uint64_t budget_bytes)
      : max_file_bytes_(max_file_bytes), budget_bytes_(budget_bytes) {}

  // The whole content of the regular file at `path`, from memory when the cached copy matches
  // the file's current inode, size and mtime, else read (and cached). Null when the file is too
  // big, is not a regular file, or cannot be read; the caller then streams it itself.
  // Thread-safe.
  std::shared_ptr<const std::string> Get(const std::string& path);

  uint64_t bytes() const;

 private:
  struct Entry {
    std::shared_ptr<const std::string> data;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    std::list<std::string>::iterator lru;  // position in lru_
  };

  const uint64_t max_file_bytes_;
  const uint64_t budget_bytes_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // most recent first
  uint64_t bytes_ = 0;
};

}  // namespace tessera::server

#endif  // TESSERA_SERVER_FILE_CACHE_H_
