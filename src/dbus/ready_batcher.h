// Groups the Ready URIs of background requests: one signal for up to `max_uris` files, sent at
// the latest `max_delay` after its first file was done. A client thumbnailing a whole folder in
// the background then wakes up a few times a second instead of once per file. Pure: the caller
// passes the time and sends what it is given.
#ifndef TESSERA_DBUS_READY_BATCHER_H_
#define TESSERA_DBUS_READY_BATCHER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tessera::dbus {

class ReadyBatcher {
 public:
  using Clock = std::chrono::steady_clock;
  ReadyBatcher(size_t max_uris, std::chrono::milliseconds max_delay)
      : max_uris_(max_uris), max_delay_(max_delay) {}

  // Adds a done file of `handle`. Returns the batch to send now when it is full.
  std::optional<std::vector<std::string>> Add(uint32_t handle, std::string uri,
                                              Clock::time_point now);

  // What waits for `handle` (sent before its Error or Finished, to keep the order); empty if
  // nothing does.
  std::vector<std::string> Take(uint32_t handle);

  // The batches whose first file waited `max_delay` by `now`, oldest first.
  std::vector<std::pair<uint32_t, std::vector<std::string>>> TakeDue(Clock::time_point now);

  // When the oldest waiting batch falls due; nullopt when nothing waits.
  std::optional<Clock::time_point> NextDue() const;

 private:
  struct Batch {
    Clock::time_point first;
    std::vector<std::string> uris;
  };
  size_t max_uris_;
  std::chrono::milliseconds max_delay_;
  std::map<uint32_t, Batch> batches_;
};

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_READY_BATCHER_H_
