// The requests being worked on, shared by the main loop (Add, Dequeue) and the worker threads
// (Wait, Answer, PassToGenerate). The Scheduler decides the order; this adds the lock, the
// waiting, and the events, posted under the lock so that each request's Started comes first
// and its Finished last.
#ifndef TESSERA_DBUS_WORK_QUEUE_H_
#define TESSERA_DBUS_WORK_QUEUE_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "src/dbus/error_code.h"
#include "src/dbus/event.h"
#include "src/dbus/scheduler.h"
#include "tessera/xdg.h"

namespace tessera::dbus {

struct Request {
  uint32_t handle = 0;
  Priority priority = Priority::kForeground;
  xdg::ThumbSize size = xdg::ThumbSize::kNormal;
  std::vector<std::string> uris;
};

// One file for a worker.
struct Job {
  Task task;
  std::string uri;
  xdg::ThumbSize size = xdg::ThumbSize::kNormal;
};

// Thread-safe.
class WorkQueue {
 public:
  explicit WorkQueue(EventSink sink) : sink_(std::move(sink)) {}
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues the request's files for their checks. A request without files is Started and
  // Finished at once. REQUIRES: the handle is new.
  void Add(Request request);

  // Drops the files of `handle` still waiting (see Scheduler::Dequeue); the request still gets
  // its Started (if it had none) and its Finished. False for a handle that is not active.
  bool Dequeue(uint32_t handle);

  // Blocks until a file of `phase` is due, or the queue is stopped (nullopt).
  std::optional<Job> Wait(Phase phase);

  // The file's answer (Ready or Error), and the request's Finished if it was the last.
  void Answer(const Job& job, const FileAnswer& answer);

  // The check found no valid thumbnail: the file goes to the generate workers.
  void PassToGenerate(const Job& job);

  // Wakes every waiting worker; Wait returns nullopt from now on.
  void Stop();

  size_t active() const;

 private:
  void FinishLocked(uint32_t handle);

  mutable std::mutex mu_;
  std::condition_variable check_ready_;
  std::condition_variable generate_ready_;
  bool stopped_ = false;
  Scheduler scheduler_;
  std::unordered_map<uint32_t, Request> requests_;
  EventSink sink_;
};

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_WORK_QUEUE_H_
