#include "tools/progress.h"

#include <fmt/format.h>

#include <cstdio>
#include <string>

namespace tessera::cli {

namespace {
constexpr int kBarWidth = 30;
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

std::string FormatEta(double seconds) {
  if (!(seconds >= 0) || seconds > 359999) return "--:--";
  int s = static_cast<int>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}
}  // namespace

Progress::Progress(size_t total, bool enabled)
    : total_(total), enabled_(enabled && total > 0), start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { Clear(); }

void Progress::Advance() {
  std::lock_guard<std::mutex> lock(mu_);
  ++done_;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (done_ == total_ || now - last_draw_ >= kRedrawEvery) {
    last_draw_ = now;
    Draw();
  }
}

void Progress::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  if (enabled_ && drawn_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }
}

void Progress::Draw() {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = elapsed > 0 ? done_ / elapsed : 0;
  double eta = rate > 0 ? (total_ - done_) / rate : -1;
  int filled = static_cast<int>(kBarWidth * done_ / total_);
  std::string bar(filled, '#');
  bar.append(kBarWidth - filled, '.');
  std::fprintf(stderr, "\r\033[K[%s] %zu/%zu  %.1f files/s  ETA %s", bar.c_str(), done_, total_,
               rate, FormatEta(eta).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace tessera::cli
