// A small map whose entries expire after a fixed time: the router remembers verified tokens
// and catalog answers for a moment, so a burst of requests for thumbnails costs one token
// check and one catalog lookup, not one per request. Changes made through this server clear
// what they affect at once (Erase / Clear); changes made elsewhere (another host, the command
// line) are seen within the time to live.
#ifndef TESSERA_SERVER_TTL_CACHE_H_
#define TESSERA_SERVER_TTL_CACHE_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace tessera::server {

template <typename Key, typename Value, typename Hash = std::hash<Key>>
class TtlCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // REQUIRES: max_entries > 0. A full cache is emptied before it takes a new entry (cheap and
  // good enough: the working set of a photo server is small).
  TtlCache(std::chrono::milliseconds ttl, size_t max_entries, Clock clock = nullptr)
      : ttl_(ttl),
        max_entries_(max_entries),
        clock_(clock ? std::move(clock) : [] { return std::chrono::steady_clock::now(); }) {}

  std::optional<Value> Find(const Key& key) const {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end() || clock_() >= it->second.expires) return std::nullopt;
    return it->second.value;
  }

  void Put(const Key& key, Value value) {
    if (ttl_.count() <= 0) return;
    std::lock_guard lock(mu_);
    if (map_.size() >= max_entries_ && map_.count(key) == 0) map_.clear();
    map_[key] = Entry{std::move(value), clock_() + ttl_};
  }

  void Erase(const Key& key) {
    std::lock_guard lock(mu_);
    map_.erase(key);
  }

  void Clear() {
    std::lock_guard lock(mu_);
    map_.clear();
  }

 private:
  struct Entry {
    Value value;
    std::chrono::steady_clock::time_point expires;
  };
  const std::chrono::milliseconds ttl_;
  const size_t max_entries_;
  Clock clock_;
  mutable std::mutex mu_;
  std::unordered_map<Key, Entry, Hash> map_;
};

}  // namespace tessera::server

#endif  // TESSERA_SERVER_TTL_CACHE_H_
