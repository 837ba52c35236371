// The server's token-signing secret: generated on first start, kept in a 0600 file of the data
// folder, so tokens survive restarts and nothing secret is ever passed on a command line.
#ifndef TESSERA_APP_SECRET_H_
#define TESSERA_APP_SECRET_H_

#include <string>

#include "tessera/status.h"

namespace tessera::app {

// Reads the secret at `path`, or creates it (64 random bytes, hex, mode 0600, written
// atomically so that two processes starting at once agree on one secret). A file that others
// may read, or that is too short to be ours, is refused (PermissionDenied / Corrupt): a leaked
// secret lets anyone forge tokens.
Result<std::string> LoadOrCreateSecret(const std::string& path);

}  // namespace tessera::app

#endif  // TESSERA_APP_SECRET_H_
