// The probe: sniffs the type from content and reads the header, decoding no pixels.
#ifndef TESSERA_MEDIA_PROBE_H_
#define TESSERA_MEDIA_PROBE_H_

#include <string>
#include <string_view>

#include "src/media/loader_facts.h"
#include "tessera/engine.h"
#include "tessera/status.h"

namespace tessera::media {

struct ProbeResult {
  ProbeInfo info;
  LoaderFacts facts;
};

// Probes a file already read into `bytes` (`path` only names it in errors).
// Unsupported ("<path>: unsupported file type video/mp4") for types we have no decoder for,
// Corrupt for an empty file or a header the loader rejects.
// REQUIRES: InitEngineRuntime() succeeded. Thread-safe.
Result<ProbeResult> ProbeBytes(const std::string& path, std::string_view bytes);

}  // namespace tessera::media

#endif  // TESSERA_MEDIA_PROBE_H_
