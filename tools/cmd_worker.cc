// `tessera worker`: drains the catalog's job queue (what scans queued: new, changed and stale
// files) without walking or serving, for extra hosts that share a PostgreSQL catalog, the
// library folders and the data folder's media at the same paths.
#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <memory>
#include <mutex>
#include <thread>

#include "src/library/media_store.h"
#include "src/library/scanner.h"
#include "tools/cli.h"
#include "tools/common.h"
#include "tools/server_common.h"

namespace tessera::cli {
namespace {

struct WorkerArgs {
  DataOptions data;
  VariantOptions variants;
  int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string worker_id;
  double poll_seconds = 5;
  bool once = false;
};

std::string DefaultWorkerId() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "localhost/worker";
  return std::string(name) + "/worker";
}

// SIGINT and SIGTERM stop the worker after the files in hand: a thread waits for them.
class StopSignal {
 public:
  StopSignal() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    waiter_ = std::thread([this] {
      int signal = 0;
      sigwait(&set_, &signal);
      if (exiting_) return;  // our own wake-up at the end
      spdlog::info("worker: stopping ({})", strsignal(signal));
      Set();
    });
  }
  ~StopSignal() {
    exiting_ = true;
    if (!stopped()) pthread_kill(waiter_.native_handle(), SIGTERM);
    waiter_.join();
  }
  const std::atomic<bool>* flag() const { return &stop_; }
  bool stopped() const { return stop_.load(); }
  // Waits up to `seconds`; false when a stop came first.
  bool Sleep(double seconds) {
    std::unique_lock<std::mutex> lock(mu_);
    return !cv_.wait_for(lock, std::chrono::duration<double>(seconds),
                         [this] { return stopped(); });
  }

 private:
  void Set() {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  sigset_t set_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> exiting_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread waiter_;
};

int Run(const WorkerArgs& args) {
  spdlog::set_level(std::min(spdlog::get_level(), spdlog::level::info));
  Result<std::vector<library::VariantSpec>> variants = VariantsFrom(args.variants);
  if (!variants.ok()) {
    PrintError(variants.status().ToString());
    return kExitUsage;
  }
  StopSignal stop;
  Result<Opened> opened = OpenData(args.data);
  if (!opened.ok()) {
    PrintError(opened.status().ToString());
    return kExitFailed;
  }
  library::ScanOptions options;
  options.workers = args.workers;
  options.variants = *variants;
  options.faces.detect = !args.variants.no_faces;
  options.worker_id = args.worker_id.empty() ? DefaultWorkerId() : args.worker_id;
  options.cancel = stop.flag();
  options.on_progress = [](const library::ScanProgress& p) {
    if (p.failed) spdlog::warn("worker: {}", p.error);
  };
  // What this worker held when it was killed is taken back at once.
  Status released = opened->catalog->ReleaseClaims(options.worker_id);
  if (!released.ok()) {
    PrintError(released.ToString());
    return kExitFailed;
  }
  const library::MediaStore store(opened->data.root);
  const Engine engine(DefaultEngineOptions());
  library::Scanner scanner(*opened->catalog, engine, store, options);
  spdlog::info("worker {}: draining the job queue with {} workers", options.worker_id,
               options.workers);
  int64_t failed = 0;
  do {
    Result<library::ScanReport> report = scanner.Work();
    if (!report.ok()) {
      if (report.status().code() == StatusCode::kAborted) break;
      PrintError(report.status().ToString());
      return kExitFailed;
    }
    failed += report->failed;
    if (report->files_read > 0 || report->failed > 0) {
      spdlog::info("worker: {} files read, {} new photos, {} variants made, {} failed in {:.2f} s",
                   report->files_read, report->new_photos, report->variants_generated,
                   report->failed, report->seconds);
    }
  } while (!args.once && stop.Sleep(args.poll_seconds));
  return failed == 0 ? kExitOk : kExitFailed;
}

}  // namespace

Command RegisterWorker(CLI::App& app) {
  auto args = std::make_shared<WorkerArgs>();
  CLI::App* sub = app.add_subcommand(
      "worker",
      "Process the catalog's queued files (for extra hosts sharing a PostgreSQL catalog)");
  AddDataOptions(sub, args->data);
  AddVariantOptions(sub, args->variants);
  sub->add_option("--workers", args->workers, "Files processed at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  sub->add_option("--worker-id", args->worker_id,
                  "Name its claims carry (default HOSTNAME/worker; unique per process)");
  sub->add_option("--poll", args->poll_seconds, "Seconds between looks at an empty queue")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  sub->add_flag("--once", args->once, "Exit when the queue is empty");
  return {sub, [args] { return Run(*args); }};
}

}  // namespace tessera::cli
