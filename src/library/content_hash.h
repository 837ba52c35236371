// Content hashes of library files: a photo's identity (BLAKE2b-256, collision resistant, hex in
// URLs) and a cheap fingerprint for change detection (XXH3-128, not collision resistant).
#ifndef TESSERA_LIBRARY_CONTENT_HASH_H_
#define TESSERA_LIBRARY_CONTENT_HASH_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "tessera/status.h"

namespace tessera::library {

// Length of a ContentHash in hex characters (BLAKE2b with a 32-byte digest).
inline constexpr size_t kContentHashHexLength = 64;

// BLAKE2b-256 (libsodium's crypto_generichash, no key) of the whole file, as 64 lowercase hex
// characters; equal to `b2sum -l 256`. Streams the file in 1 MiB chunks, so memory stays flat
// whatever its size. Fails with NotFound / PermissionDenied / IOError from the OS, or
// InvalidArgument for something that is not a regular file (a FIFO would block). Errors name
// the file. Thread-safe.
Result<std::string> ContentHash(const std::string& path);
// The same hash of bytes in memory (an uploaded avatar): equal to ContentHash of a file holding
// them.
Result<std::string> ContentHashOfBytes(std::string_view bytes);

// XXH3-128 of the whole file, as 32 lowercase hex characters (the canonical, big-endian form,
// as `xxhsum -H2` prints it). For change detection only: never an identity. Same streaming and
// errors as ContentHash. Thread-safe.
Result<std::string> QuickHash(const std::string& path);

// True when `s` is exactly kContentHashHexLength characters of [0-9a-f]. Callers check hashes
// from URLs with this before building any path from them.
bool IsContentHash(std::string_view s);

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_CONTENT_HASH_H_
