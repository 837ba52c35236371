// What the service says it supports: GetSupported, GetSchedulers.
#ifndef TESSERA_DBUS_SUPPORTED_H_
#define TESSERA_DBUS_SUPPORTED_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/dbus/scheduler.h"

namespace tessera::dbus {

// The MIME types of the desktop .thumbnailer entry (data/tessera.thumbnailer.in: one list for
// both), each paired with the one URI scheme we read, "file": GetSupported's two arrays, as
// tumbler answers them (the i-th scheme goes with the i-th type); then those of `extra_types`
// (the installed .thumbnailer programs' types) that are not in the list already.
std::pair<std::vector<std::string>, std::vector<std::string>> SupportedSchemesAndTypes(
    const std::vector<std::string>& extra_types = {});

// "default", "foreground", "background".
std::vector<std::string> SchedulerNames();

// The scheduler a name picks: "background" is background; "foreground", "default", "" and any
// unknown name are foreground (tumbler, too, falls back to its default scheduler).
Priority ParseScheduler(std::string_view name);

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_SUPPORTED_H_
