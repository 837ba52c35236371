#include "src/dbus/supported.h"

#include <set>

#include "tessera/desktop.h"

namespace tessera::dbus {
std::pair<std::vector<std::string>, std::vector<std::string>> SupportedSchemesAndTypes(
    const std::vector<std::string>& extra_types) {
  std::pair<std::vector<std::string>, std::vector<std::string>> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& type) {
    if (!seen.insert(type).second) return;
    out.first.emplace_back("file");
    out.second.push_back(type);
  };
  for (const std::string& type : OwnMimeTypes()) add(type);
  for (const std::string& type : extra_types) add(type);
  return out;
}

std::vector<std::string> SchedulerNames() { return {"default", "foreground", "background"}; }

Priority ParseScheduler(std::string_view name) {
  return name == "background" ? Priority::kBackground : Priority::kForeground;
}

}  // namespace tessera::dbus
