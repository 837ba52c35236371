#include "src/dbus/ready_batcher.h"

#include <algorithm>

namespace tessera::dbus {

std::optional<std::vector<std::string>> ReadyBatcher::Add(uint32_t handle, std::string uri,
                                                          Clock::time_point now) {
  auto [it, inserted] = batches_.try_emplace(handle);
  if (inserted) it->second.first = now;
  it->second.uris.push_back(std::move(uri));
  if (it->second.uris.size() < max_uris_) return std::nullopt;
  std::vector<std::string> full = std::move(it->second.uris);
  batches_.erase(it);
  return full;
}

std::vector<std::string> ReadyBatcher::Take(uint32_t handle) {
  auto it = batches_.find(handle);
  if (it == batches_.end()) return {};
  std::vector<std::string> uris = std::move(it->second.uris);
  batches_.erase(it);
  return uris;
}

std::vector<std::pair<uint32_t, std::vector<std::string>>> ReadyBatcher::TakeDue(
    Clock::time_point now) {
  std::vector<std::pair<Clock::time_point, uint32_t>> due;
  for (const auto& [handle, batch] : batches_) {
    if (now - batch.first >= max_delay_) due.emplace_back(batch.first, handle);
  }
  std::sort(due.begin(), due.end());
  std::vector<std::pair<uint32_t, std::vector<std::string>>> out;
  for (const auto& [first, handle] : due) out.emplace_back(handle, Take(handle));
  return out;
}

std::optional<ReadyBatcher::Clock::time_point> ReadyBatcher::NextDue() const {
  std::optional<Clock::time_point> next;
  for (const auto& [handle, batch] : batches_) {
    const Clock::time_point due = batch.first + max_delay_;
    if (!next || due < *next) next = due;
  }
  return next;
}

}  // namespace tessera::dbus
