#include "src/server/file_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "src/core/unique_fd.h"

namespace tessera::server {
namespace {

int64_t MtimeNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// Reads exactly `size` bytes, checking with fstat that the file read is the one stat'ed.
std::shared_ptr<const std::string> ReadWhole(const std::string& path, const struct stat& want) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return nullptr;
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || st.st_ino != want.st_ino || st.st_size != want.st_size ||
      MtimeNs(st) != MtimeNs(want)) {
    return nullptr;
  }
  auto data = std::make_shared<std::string>(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < data->size()) {
    ssize_t n = ::read(fd.get(), data->data() + done, data->size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return nullptr;
    done += static_cast<size_t>(n);
  }
  return data;
}

}  // namespace

std::shared_ptr<const std::string> FileCache::Get(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<uint64_t>(st.st_size) > max_file_bytes_) {
    return nullptr;
  }
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(path);
    if (it != entries_.end()) {
      Entry& e = it->second;
      if (e.inode == st.st_ino && e.size == st.st_size && e.mtime_ns == MtimeNs(st)) {
        lru_.splice(lru_.begin(), lru_, e.lru);
        return e.data;
      }
      bytes_ -= e.data->size();
      lru_.erase(e.lru);
      entries_.erase(it);
    }
  }
  std::shared_ptr<const std::string> data = ReadWhole(path, st);
  if (!data) return nullptr;
  std::lock_guard lock(mu_);
  if (entries_.count(path) == 0) {
    lru_.push_front(path);
    entries_[path] = Entry{data, st.st_ino, st.st_size, MtimeNs(st), lru_.begin()};
    bytes_ += data->size();
    while (bytes_ > budget_bytes_ && !lru_.empty()) {
      auto last = entries_.find(lru_.back());
      bytes_ -= last->second.data->size();
      entries_.erase(last);
      lru_.pop_back();
    }
  }
  return data;
}

uint64_t FileCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace tessera::server
