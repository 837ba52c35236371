#include "src/server/open_files.h"

#include <fcntl.h>
#include <sys/stat.h>

namespace tessera::server {
namespace {

bool Same(uint64_t inode, uint64_t size, int64_t mtime_ns, const FileBody& body) {
  return inode == body.inode && size == body.file_size && mtime_ns == body.mtime_ns;
}

// Opens the path and checks it is the regular file the router saw.
Result<UniqueFd> OpenChecked(const FileBody& body) {
  UniqueFd fd(::open(body.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Status::NotFound("cannot open a file to send");
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
      !Same(static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_size),
            static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec, body)) {
    return Status::IOError("a file changed while being served");
  }
  return fd;
}

}  // namespace

Result<std::shared_ptr<const UniqueFd>> OpenFiles::Open(const FileBody& body) {
  const bool cacheable = body.file_size <= max_file_bytes_ && capacity_ > 0;
  if (cacheable) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(body.path);
    if (it != entries_.end()) {
      Entry& e = it->second;
      if (Same(e.inode, e.file_size, e.mtime_ns, body)) {
        lru_.splice(lru_.begin(), lru_, e.lru);
        return e.fd;
      }
      lru_.erase(e.lru);
      entries_.erase(it);
    }
  }
  Result<UniqueFd> opened = OpenChecked(body);
  if (!opened.ok()) return opened.status();
  auto fd = std::make_shared<const UniqueFd>(std::move(*opened));
  if (!cacheable) return fd;
  std::lock_guard lock(mu_);
  if (entries_.count(body.path) == 0) {
    lru_.push_front(body.path);
    entries_[body.path] = Entry{fd, body.inode, body.file_size, body.mtime_ns, lru_.begin()};
    if (entries_.size() > capacity_) {
      entries_.erase(lru_.back());
      lru_.pop_back();
    }
  }
  return fd;
}

size_t OpenFiles::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace tessera::server
