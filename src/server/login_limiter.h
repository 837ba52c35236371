// Throttles password guessing: a key (a user name, a client address) that failed to sign in
// `max_failures` times within `window_seconds` is refused until the oldest of those failures
// leaves the window.
//
// Thread safety: all methods may be called from any thread.
#ifndef TESSERA_SERVER_LOGIN_LIMITER_H_
#define TESSERA_SERVER_LOGIN_LIMITER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tessera::server {

class LoginLimiter {
 public:
  using Clock = std::function<int64_t()>;  // seconds since the epoch

  // REQUIRES: max_failures > 0, window_seconds > 0. `clock` defaults to the system clock.
  LoginLimiter(int max_failures, int64_t window_seconds, Clock clock = nullptr);
  LoginLimiter(const LoginLimiter&) = delete;
  LoginLimiter& operator=(const LoginLimiter&) = delete;

  // 0 when `key` may try now, otherwise the seconds until it may.
  int64_t RetryAfter(std::string_view key);
  void RecordFailure(std::string_view key);
  // Forgets the key's failures (after a successful sign-in).
  void Reset(std::string_view key);

 private:
  // Drops failures older than the window; REQUIRES: mu_ held.
  void Prune(std::deque<int64_t>& failures, int64_t now) const;
  int64_t Now() const;

  const int max_failures_;
  const int64_t window_seconds_;
  Clock clock_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;  // guarded by mu_
};

}  // namespace tessera::server

#endif  // TESSERA_SERVER_LOGIN_LIMITER_H_
