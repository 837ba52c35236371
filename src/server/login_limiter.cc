#include "src/server/login_limiter.h"

#include <cassert>
#include <ctime>

namespace tessera::server {
namespace {

// Past this many keys, keys with no failure left in the window are dropped, so a client
// inventing user names cannot grow the map without bound.
constexpr size_t kCompactAbove = 10'000;

}  // namespace

LoginLimiter::LoginLimiter(int max_failures, int64_t window_seconds, Clock clock)
    : max_failures_(max_failures), window_seconds_(window_seconds), clock_(std::move(clock)) {
  assert(max_failures > 0 && window_seconds > 0);
}

int64_t LoginLimiter::Now() const {
  return clock_ ? clock_() : static_cast<int64_t>(std::time(nullptr));
}

void LoginLimiter::Prune(std::deque<int64_t>& failures, int64_t now) const {
  while (!failures.empty() && failures.front() + window_seconds_ <= now) failures.pop_front();
}

int64_t LoginLimiter::RetryAfter(std::string_view key) {
  int64_t now = Now();
  std::lock_guard lock(mu_);
  auto it = failures_.find(std::string(key));
  if (it == failures_.end()) return 0;
  Prune(it->second, now);
  if (static_cast<int>(it->second.size()) < max_failures_) return 0;
  return it->second.front() + window_seconds_ - now;
}

void LoginLimiter::RecordFailure(std::string_view key) {
  int64_t now = Now();
  std::lock_guard lock(mu_);
  if (failures_.size() > kCompactAbove) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      Prune(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
  }
  std::deque<int64_t>& failures = failures_[std::string(key)];
  Prune(failures, now);
  failures.push_back(now);
  // Only the newest max_failures_ matter for the verdict.
  while (static_cast<int>(failures.size()) > max_failures_) failures.pop_front();
}

void LoginLimiter::Reset(std::string_view key) {
  std::lock_guard lock(mu_);
  failures_.erase(std::string(key));
}

}  // namespace tessera::server
