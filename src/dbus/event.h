// What the workers tell the main loop about a request; the main loop turns each into a signal.
#ifndef TESSERA_DBUS_EVENT_H_
#define TESSERA_DBUS_EVENT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "src/dbus/error_code.h"

namespace tessera::dbus {

struct Event {
  enum class Kind { kStarted, kReady, kError, kFinished };
  Kind kind = Kind::kStarted;
  uint32_t handle = 0;
  std::vector<std::string> uris;  // kReady, kError
  FileError error;                // kError

  static Event Started(uint32_t handle) { return {Kind::kStarted, handle, {}, {}}; }
  static Event Finished(uint32_t handle) { return {Kind::kFinished, handle, {}, {}}; }
  static Event Ready(uint32_t handle, std::string uri) {
    return {Kind::kReady, handle, {std::move(uri)}, {}};
  }
  static Event Error(uint32_t handle, std::vector<std::string> uris, FileError error) {
    return {Kind::kError, handle, std::move(uris), std::move(error)};
  }
};

// Receives events in the order they happened. Called with the work queue's lock held: it must
// not block or call back into the queue.
using EventSink = std::function<void(Event)>;

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_EVENT_H_
