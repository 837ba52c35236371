#include "src/dbus/worker_pool.h"

#include <spdlog/spdlog.h>

#include <cassert>

#include "src/dbus/quick_check.h"
#include "src/dbus/request_uri.h"

namespace tessera::dbus {

WorkerPool::WorkerPool(WorkQueue& queue, const Engine& engine, const xdg::Cache& cache, int workers,
                       const ExternalThumbnailerOptions& external)
    : queue_(queue), cache_(cache) {
  assert(workers >= 1);
  for (xdg::ThumbSize size : xdg::kAllSizes) {
    DesktopOptions options;
    options.sizes = {size};
    options.external = external;
    thumbnailers_[size] = std::make_unique<DesktopThumbnailer>(engine, cache, options);
  }
  threads_.emplace_back([this] { Check(); });
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Generate(); });
}

std::vector<std::string> WorkerPool::ExternalMimeTypes() const {
  return thumbnailers_.begin()->second->ExternalMimeTypes();
}

WorkerPool::~WorkerPool() {
  queue_.Stop();
  for (std::thread& thread : threads_) thread.join();
}

void WorkerPool::Check() {
  while (std::optional<Job> job = queue_.Wait(Phase::kCheck)) {
    std::optional<FileAnswer> answer = QuickCheck(cache_, job->uri, job->size);
    if (answer) {
      queue_.Answer(*job, *answer);
    } else {
      queue_.PassToGenerate(*job);
    }
  }
}

void WorkerPool::Generate() {
  while (std::optional<Job> job = queue_.Wait(Phase::kGenerate)) {
    FileAnswer answer;
    // The check turned this URI into a path already; doing it again is cheaper than keeping it.
    Result<std::string> path = LocalPathForUri(job->uri);
    if (!path.ok()) {
      answer.error = ErrorForStatus(path.status());
    } else {
      FileResult result = thumbnailers_.at(job->size)->Process(*path);
      answer = AnswerFor(result);
      spdlog::debug(
          "dbus: {} {}: {}", job->task.handle, *path,
          answer.ready() ? std::string(OutcomeName(result.outcome)) : answer.error->message);
    }
    queue_.Answer(*job, answer);
  }
}

}  // namespace tessera::dbus
