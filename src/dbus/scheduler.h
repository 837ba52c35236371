// Which file of which request is worked on next. Pure bookkeeping, no threads: WorkQueue wraps
// it with a lock, and the unit tests drive it directly.
//
// Every file goes through two phases: a check (a stat and a look at the cache: a valid
// thumbnail is answered at once) and, when the check finds none, generation (a decode). Each
// phase has its own workers, so a check never waits behind a decode. Within a phase:
// foreground requests come first, newest first (what the user looks at now); then background
// requests, oldest first; a request's files in the order given.
#ifndef TESSERA_DBUS_SCHEDULER_H_
#define TESSERA_DBUS_SCHEDULER_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>

namespace tessera::dbus {

enum class Priority { kForeground, kBackground };
enum class Phase { kCheck, kGenerate };

struct Task {
  uint32_t handle = 0;
  size_t file = 0;  // index into the request's URIs
  Phase phase = Phase::kCheck;
  bool first = false;  // the first task taken from its request: time for its Started signal
};

class Scheduler {
 public:
  // Adds a request whose `files` files all wait for their check.
  // REQUIRES: `handle` is not active; files > 0.
  void Add(uint32_t handle, Priority priority, size_t files);

  // Takes the next task of `phase`, or nullopt when none waits. The task is in flight until
  // Finish or PassToGenerate.
  std::optional<Task> Next(Phase phase);

  // The check of `task` found no valid thumbnail: the file now waits for generation (after
  // the request's files already waiting). True when the request completed instead: it was
  // dequeued meanwhile and nothing else of it is in flight.
  // REQUIRES: `task` came from Next(Phase::kCheck) and is in flight.
  bool PassToGenerate(const Task& task);

  // `task` is done. True when its request is now complete (nothing waiting, nothing in
  // flight) and has been forgotten: time for its Finished signal.
  // REQUIRES: `task` is in flight.
  bool Finish(const Task& task);

  struct Dequeued {
    size_t dropped = 0;     // files that will not be worked on
    bool started = false;   // a task of it was ever taken (its Started was sent)
    bool complete = false;  // nothing in flight: forgotten now; else when the last Finish comes
  };
  // Drops the files of `handle` still waiting. Files in flight finish and are reported.
  // nullopt for a handle that is not active (unknown, or complete already).
  std::optional<Dequeued> Dequeue(uint32_t handle);

  bool IsActive(uint32_t handle) const { return requests_.count(handle) > 0; }
  size_t active() const { return requests_.size(); }

 private:
  struct Request {
    uint32_t handle = 0;
    Priority priority = Priority::kForeground;
    std::deque<size_t> to_check;
    std::deque<size_t> to_generate;
    size_t in_flight = 0;
    bool started = false;
    bool dequeued = false;
    bool Idle() const { return to_check.empty() && to_generate.empty() && in_flight == 0; }
    std::deque<size_t>& Waiting(Phase phase) {
      return phase == Phase::kCheck ? to_check : to_generate;
    }
  };
  // Forgets the request if it is complete; returns whether it was.
  bool ForgetIfIdle(uint32_t handle);
  Task Take(Request& request, Phase phase);

  uint64_t next_order_ = 0;
  std::unordered_map<uint32_t, Request> requests_;
  // Arrival order -> handle, per priority.
  std::map<uint64_t, uint32_t> foreground_;
  std::map<uint64_t, uint32_t> background_;
  std::unordered_map<uint32_t, uint64_t> order_;
};

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_SCHEDULER_H_
