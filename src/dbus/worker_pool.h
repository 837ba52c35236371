// The threads that answer files: one checker (stat and cache lookup, never waiting behind a
// decode) and `workers` generators (DesktopThumbnailer: decode, store, failure records). The
// engine sends risky formats to sandboxed helper processes, so one bad file costs one answer.
#ifndef TESSERA_DBUS_WORKER_POOL_H_
#define TESSERA_DBUS_WORKER_POOL_H_

#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "src/dbus/work_queue.h"
#include "tessera/desktop.h"
#include "tessera/engine.h"
#include "tessera/xdg.h"

namespace tessera::dbus {

class WorkerPool {
 public:
  // Starts the threads. `queue`, `engine` and `cache` must outlive the pool.
  // REQUIRES: workers >= 1.
  WorkerPool(WorkQueue& queue, const Engine& engine, const xdg::Cache& cache, int workers,
             const ExternalThumbnailerOptions& external = {});
  // Stops the queue and joins: files being decoded finish first (the engine's time limits bound
  // how long that takes).
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // The MIME types installed .thumbnailer programs add (read once, when the pool started).
  std::vector<std::string> ExternalMimeTypes() const;

 private:
  void Check();
  void Generate();

  WorkQueue& queue_;
  const xdg::Cache& cache_;
  // One per size: a DesktopThumbnailer's sizes are fixed when it is made.
  std::map<xdg::ThumbSize, std::unique_ptr<DesktopThumbnailer>> thumbnailers_;
  std::vector<std::thread> threads_;
};

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_WORKER_POOL_H_
