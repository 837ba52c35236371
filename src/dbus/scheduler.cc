#include "src/dbus/scheduler.h"

#include <cassert>

namespace tessera::dbus {

void Scheduler::Add(uint32_t handle, Priority priority, size_t files) {
  assert(!IsActive(handle) && files > 0);
  Request& request = requests_[handle];
  request.handle = handle;
  request.priority = priority;
  for (size_t i = 0; i < files; ++i) request.to_check.push_back(i);
  const uint64_t order = next_order_++;
  order_[handle] = order;
  (priority == Priority::kForeground ? foreground_ : background_)[order] = handle;
}

Task Scheduler::Take(Request& request, Phase phase) {
  std::deque<size_t>& waiting = request.Waiting(phase);
  Task task{request.handle, waiting.front(), phase, !request.started};
  waiting.pop_front();
  request.started = true;
  ++request.in_flight;
  return task;
}

std::optional<Task> Scheduler::Next(Phase phase) {
  // Newest foreground request first: the folder the user just opened beats the one they left.
  for (auto it = foreground_.rbegin(); it != foreground_.rend(); ++it) {
    Request& request = requests_.at(it->second);
    if (!request.Waiting(phase).empty()) return Take(request, phase);
  }
  for (auto& [order, handle] : background_) {
    Request& request = requests_.at(handle);
    if (!request.Waiting(phase).empty()) return Take(request, phase);
  }
  return std::nullopt;
}

bool Scheduler::ForgetIfIdle(uint32_t handle) {
  auto it = requests_.find(handle);
  if (it == requests_.end() || !it->second.Idle()) return false;
  const uint64_t order = order_.at(handle);
  (it->second.priority == Priority::kForeground ? foreground_ : background_).erase(order);
  order_.erase(handle);
  requests_.erase(it);
  return true;
}

bool Scheduler::PassToGenerate(const Task& task) {
  Request& request = requests_.at(task.handle);
  assert(task.phase == Phase::kCheck && request.in_flight > 0);
  --request.in_flight;
  if (!request.dequeued) request.to_generate.push_back(task.file);
  return ForgetIfIdle(task.handle);
}

bool Scheduler::Finish(const Task& task) {
  Request& request = requests_.at(task.handle);
  assert(request.in_flight > 0);
  --request.in_flight;
  return ForgetIfIdle(task.handle);
}

std::optional<Scheduler::Dequeued> Scheduler::Dequeue(uint32_t handle) {
  auto it = requests_.find(handle);
  if (it == requests_.end()) return std::nullopt;
  Request& request = it->second;
  Dequeued result;
  result.dropped = request.to_check.size() + request.to_generate.size();
  result.started = request.started;
  request.to_check.clear();
  request.to_generate.clear();
  request.dequeued = true;
  request.started = true;  // the caller sends Started now if it was not sent
  result.complete = ForgetIfIdle(handle);
  return result;
}

}  // namespace tessera::dbus
