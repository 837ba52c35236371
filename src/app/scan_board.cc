#include "src/app/scan_board.h"

#include <fmt/format.h>

namespace tessera::app {

ScanBoard::ScanBoard(Clock clock)
    : clock_(clock ? std::move(clock) : [] { return std::chrono::steady_clock::now(); }) {}

void ScanBoard::Started(const library::Library& library) {
  std::lock_guard lock(mu_);
  Entry& entry = entries_[library.id];
  std::optional<library::ScanReport> last = entry.state.last_report;
  entry.state = ScanState{};
  entry.state.library_id = library.id;
  entry.state.owner_id = library.owner_id;
  entry.state.root = library.root;
  entry.state.running = true;
  entry.state.last_report = last;
  entry.started = clock_();
}

void ScanBoard::Progressed(int64_t library_id, const library::ScanProgress& progress) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(library_id);
  if (it == entries_.end()) return;
  it->second.state.files_done = progress.files_done;
  it->second.state.files_total = progress.files_total;
  if (progress.failed) ++it->second.state.failed;
}

void ScanBoard::Finished(int64_t library_id, const Result<library::ScanReport>& report) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(library_id);
  if (it == entries_.end()) return;
  ScanState& state = it->second.state;
  state.running = false;
  if (report.ok()) {
    state.last_report = *report;
    state.last_error.clear();
  } else {
    state.last_error = report.status().ToString();
  }
}

ScanState ScanBoard::Snapshot(const Entry& entry) const {
  ScanState state = entry.state;
  const double elapsed = std::chrono::duration<double>(clock_() - entry.started).count();
  if (state.running && elapsed > 0 && state.files_done > 0) {
    state.rate = state.files_done / elapsed;
    state.eta_seconds = (state.files_total - state.files_done) / state.rate;
  } else if (!state.running && state.last_report && state.last_report->seconds > 0) {
    state.rate = state.last_report->queued / state.last_report->seconds;
  }
  return state;
}

std::optional<ScanState> ScanBoard::State(int64_t library_id) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(library_id);
  if (it == entries_.end()) return std::nullopt;
  return Snapshot(it->second);
}

nlohmann::json ScanBoard::JsonFor(int64_t owner_id) const {
  std::lock_guard lock(mu_);
  nlohmann::json scans = nlohmann::json::array();
  for (const auto& [id, entry] : entries_) {
    if (entry.state.owner_id != owner_id) continue;
    ScanState s = Snapshot(entry);
    nlohmann::json json = {
        {"library", s.root},
        {"state", s.running ? "running" : (s.last_error.empty() ? "idle" : "stopped")},
        {"files_done", s.files_done},
        {"files_total", s.files_total},
        {"failed", s.failed},
        {"rate", s.rate},
        {"eta_seconds", s.eta_seconds ? nlohmann::json(*s.eta_seconds) : nlohmann::json()},
    };
    if (s.last_report) {
      const library::ScanReport& r = *s.last_report;
      json["last_scan"] = {{"files_seen", r.files_seen}, {"unchanged", r.unchanged},
                           {"new_photos", r.new_photos}, {"failed", r.failed},
                           {"removed", r.removed},       {"seconds", r.seconds}};
    }
    scans.push_back(std::move(json));
  }
  return nlohmann::json{{"scans", std::move(scans)}};
}

std::string ScanBoard::Line(int64_t library_id) const {
  std::optional<ScanState> s = State(library_id);
  if (!s) return {};
  std::string line = fmt::format("scan {}: {}/{} files", s->root, s->files_done, s->files_total);
  if (s->rate > 0) line += fmt::format(", {:.1f} files/s", s->rate);
  if (s->eta_seconds) line += fmt::format(", about {:.0f} s left", *s->eta_seconds);
  if (s->failed > 0) line += fmt::format(", {} failed", s->failed);
  return line;
}

}  // namespace tessera::app
