// The check phase: what can be answered without decoding. A stat and a look at the cache, so
// that a file with a valid thumbnail is answered at once, however busy the decoders are.
#ifndef TESSERA_DBUS_QUICK_CHECK_H_
#define TESSERA_DBUS_QUICK_CHECK_H_

#include <optional>
#include <string>

#include "src/dbus/error_code.h"
#include "tessera/xdg.h"

namespace tessera::dbus {

// The answer for `uri` at `size` when one needs no decoding: Ready for a valid thumbnail; an
// Error for a URI that is not a local file (0), a missing or unreadable file (2), a file inside
// a thumbnail cache (3), a failure recorded for this version of the file (2). nullopt: the file
// needs its thumbnail made.
std::optional<FileAnswer> QuickCheck(const xdg::Cache& cache, const std::string& uri,
                                     xdg::ThumbSize size);

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_QUICK_CHECK_H_
