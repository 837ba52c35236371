// A one-line progress bar on a terminal: count, rate and ETA. Silent when stderr is not a
// terminal. Thread-safe: workers call Advance() as each file finishes.
#ifndef TESSERA_TOOLS_PROGRESS_H_
#define TESSERA_TOOLS_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <mutex>

namespace tessera::cli {

class Progress {
 public:
  // `enabled` false: never draws (scripts, --json, not a terminal).
  Progress(size_t total, bool enabled);
  ~Progress();  // erases the bar
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Advance();
  // Erases the bar so that a message can be printed on a clean line; the next Advance redraws.
  void Clear();

 private:
  void Draw();  // REQUIRES: mu_ held

  const size_t total_;
  const bool enabled_;
  const std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  size_t done_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace tessera::cli

#endif  // TESSERA_TOOLS_PROGRESS_H_
