// What the scans are doing, for /api/jobs and the terminal: per library, the files queued and
// done, failures, the rate and an estimate of the time left.
#ifndef TESSERA_APP_SCAN_BOARD_H_
#define TESSERA_APP_SCAN_BOARD_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "src/library/scanner.h"

namespace tessera::app {

struct ScanState {
  int64_t library_id = 0;
  int64_t owner_id = 0;
  std::string root;
  bool running = false;
  int64_t files_done = 0;
  int64_t files_total = 0;
  int64_t failed = 0;
  double rate = 0;                    // files per second since the scan started
  std::optional<double> eta_seconds;  // while running, once a rate is known
  std::string last_error;             // of the last scan, when it stopped on an error
  std::optional<library::ScanReport> last_report;
};

// Thread-safe. `clock` is injectable for tests.
class ScanBoard {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit ScanBoard(Clock clock = nullptr);

  void Started(const library::Library& library);
  void Progressed(int64_t library_id, const library::ScanProgress& progress);
  void Finished(int64_t library_id, const Result<library::ScanReport>& report);

  std::optional<ScanState> State(int64_t library_id) const;
  // The scans of `owner_id`'s libraries, as /api/jobs shows them.
  nlohmann::json JsonFor(int64_t owner_id) const;
  // "scan /photos: 120/500 files, 14.2 files/s, about 27 s left, 1 failed"
  std::string Line(int64_t library_id) const;

 private:
  struct Entry {
    ScanState state;
    std::chrono::steady_clock::time_point started;
  };
  ScanState Snapshot(const Entry& entry) const;  // REQUIRES: mu_ held

  Clock clock_;
  mutable std::mutex mu_;
  std::map<int64_t, Entry> entries_;
};

}  // namespace tessera::app

#endif  // TESSERA_APP_SCAN_BOARD_H_
