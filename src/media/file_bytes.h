// Reads a whole file into memory, refusing files over a size limit before reading.
#ifndef TESSERA_MEDIA_FILE_BYTES_H_
#define TESSERA_MEDIA_FILE_BYTES_H_

#include <cstdint>
#include <string>

#include "tessera/status.h"

namespace tessera::media {

// The file's bytes. NotFound / PermissionDenied / IOError from the OS, Unsupported for a
// non-regular file, TooLarge when it is over `max_bytes`. Errors name the file.
Result<std::string> ReadFileBytes(const std::string& path, uint64_t max_bytes);

// At most the first `max_bytes` of a regular file (fewer when it is shorter), for sniffing.
Result<std::string> ReadFileHead(const std::string& path, size_t max_bytes);

}  // namespace tessera::media

#endif  // TESSERA_MEDIA_FILE_BYTES_H_
