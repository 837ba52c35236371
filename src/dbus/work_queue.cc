#include "src/dbus/work_queue.h"

namespace tessera::dbus {

void WorkQueue::Add(Request request) {
  std::lock_guard<std::mutex> lock(mu_);
  const uint32_t handle = request.handle;
  if (request.uris.empty()) {
    sink_(Event::Started(handle));
    sink_(Event::Finished(handle));
    return;
  }
  scheduler_.Add(handle, request.priority, request.uris.size());
  requests_.emplace(handle, std::move(request));
  check_ready_.notify_one();
}

bool WorkQueue::Dequeue(uint32_t handle) {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<Scheduler::Dequeued> dequeued = scheduler_.Dequeue(handle);
  if (!dequeued) return false;
  if (!dequeued->started) sink_(Event::Started(handle));
  if (dequeued->complete) FinishLocked(handle);
  return true;
}

std::optional<Job> WorkQueue::Wait(Phase phase) {
  std::unique_lock<std::mutex> lock(mu_);
  std::condition_variable& ready = phase == Phase::kCheck ? check_ready_ : generate_ready_;
  std::optional<Task> task;
  ready.wait(lock, [&] { return stopped_ || (task = scheduler_.Next(phase)).has_value(); });
  if (!task) return std::nullopt;  // stopped
  const Request& request = requests_.at(task->handle);
  if (task->first) sink_(Event::Started(task->handle));
  return Job{*task, request.uris[task->file], request.size};
}

void WorkQueue::Answer(const Job& job, const FileAnswer& answer) {
  std::lock_guard<std::mutex> lock(mu_);
  if (answer.ready()) {
    sink_(Event::Ready(job.task.handle, job.uri));
  } else {
    sink_(Event::Error(job.task.handle, {job.uri}, *answer.error));
  }
  if (scheduler_.Finish(job.task)) FinishLocked(job.task.handle);
}

void WorkQueue::PassToGenerate(const Job& job) {
  std::lock_guard<std::mutex> lock(mu_);
  if (scheduler_.PassToGenerate(job.task)) {
    FinishLocked(job.task.handle);
  } else {
    generate_ready_.notify_one();
  }
}

void WorkQueue::FinishLocked(uint32_t handle) {
  requests_.erase(handle);
  sink_(Event::Finished(handle));
}

void WorkQueue::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  check_ready_.notify_all();
  generate_ready_.notify_all();
}

size_t WorkQueue::active() const {
  std::lock_guard<std::mutex> lock(mu_);
  return scheduler_.active();
}

}  // namespace tessera::dbus
