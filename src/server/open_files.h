// Open descriptors of the small files the server sends most (thumbnails, face crops, avatars),
// kept between requests, so that answering one costs a stat (the router's) and the sends, not
// an open, an fstat and a close as well. An entry is used only while the file at its path is
// still the one the router stat'ed (same inode, size and modification time): a file replaced
// by an atomic rename, or rewritten, is opened afresh. The least recently used are closed past
// `capacity`; a deleted file's descriptor lives at most until then.
#ifndef TESSERA_SERVER_OPEN_FILES_H_
#define TESSERA_SERVER_OPEN_FILES_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "src/core/unique_fd.h"
#include "src/server/http_types.h"
#include "tessera/status.h"

namespace tessera::server {

class OpenFiles {
 public:
  // Keeps at most `capacity` descriptors, of files of at most `max_file_bytes`.
  OpenFiles(size_t capacity, uint64_t max_file_bytes)
      : capacity_(capacity), max_file_bytes_(max_file_bytes) {}

  // A read-only descriptor of the file `body` names, shared with other requests; its file
  // position is never used (read with an explicit offset). NotFound when the path cannot be
  // opened; IOError when what it opens is not the file the router stat'ed. Thread-safe.
  Result<std::shared_ptr<const UniqueFd>> Open(const FileBody& body);

  size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const UniqueFd> fd;
    uint64_t inode = 0;
    uint64_t file_size = 0;
    int64_t mtime_ns = 0;
    std::list<std::string>::iterator lru;  // position in lru_
  };

  const size_t capacity_;
  const uint64_t max_file_bytes_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // most recent first
};

}  // namespace tessera::server

#endif  // TESSERA_SERVER_OPEN_FILES_H_
