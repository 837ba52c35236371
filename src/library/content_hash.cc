#include "src/library/content_hash.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <functional>
#include <memory>
#include <vector>

#include "src/core/unique_fd.h"

namespace tessera::library {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

// Calls `consume` on each chunk of the file, in order. A short read is not the end: only a
// read of 0 bytes is (a file on NFS or FUSE may return less than asked).
Status ForEachChunk(const std::string& path, std::string_view what,
                    const std::function<void(const unsigned char*, size_t)>& consume) {
  // O_NONBLOCK so that opening a FIFO returns (to be refused below) instead of waiting for a
  // writer; it changes nothing for reads of a regular file.
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd.valid()) return Status::FromErrno(errno, fmt::format("{}: open {}", what, path));
  struct stat st;
  if (fstat(fd.get(), &st) != 0) {
    return Status::FromErrno(errno, fmt::format("{}: stat {}", what, path));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument(fmt::format("{}: {}: not a regular file", what, path));
  }
  std::vector<unsigned char> buffer(kChunkBytes);
  for (;;) {
    ssize_t n = read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno(errno, fmt::format("{}: read {}", what, path));
    if (n == 0) return Status::Ok();
    consume(buffer.data(), static_cast<size_t>(n));
  }
}

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');  // sodium_bin2hex writes a terminating NUL
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

// sodium_init picks the fastest BLAKE2b implementation for this CPU; it is idempotent and
// thread-safe, but only worth calling once.
Status InitSodium() {
  static const bool ok = sodium_init() >= 0;
  return ok ? Status::Ok() : Status::Internal("libsodium: sodium_init failed");
}

struct XxhStateDeleter {
  void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
};

}  // namespace

Result<std::string> ContentHash(const std::string& path) {
  TESSERA_RETURN_IF_ERROR(InitSodium());
  crypto_generichash_state state;
  unsigned char digest[crypto_generichash_BYTES];  // 32: BLAKE2b-256
  static_assert(sizeof(digest) * 2 == kContentHashHexLength);
  if (crypto_generichash_init(&state, nullptr, 0, sizeof(digest)) != 0) {
    return Status::Internal(fmt::format("content hash: {}: BLAKE2b init failed", path));
  }
  TESSERA_RETURN_IF_ERROR(
      ForEachChunk(path, "content hash", [&state](const unsigned char* data, size_t size) {
        crypto_generichash_update(&state, data, size);
      }));
  crypto_generichash_final(&state, digest, sizeof(digest));
  return Hex(digest, sizeof(digest));
}

Result<std::string> ContentHashOfBytes(std::string_view bytes) {
  TESSERA_RETURN_IF_ERROR(InitSodium());
  unsigned char digest[crypto_generichash_BYTES];
  if (crypto_generichash(digest, sizeof(digest),
                         reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                         nullptr, 0) != 0) {
    return Status::Internal("content hash: BLAKE2b failed");
  }
  return Hex(digest, sizeof(digest));
}

Result<std::string> QuickHash(const std::string& path) {
  std::unique_ptr<XXH3_state_t, XxhStateDeleter> state(XXH3_createState());
  if (!state || XXH3_128bits_reset(state.get()) != XXH_OK) {
    return Status::Internal(fmt::format("quick hash: {}: XXH3 init failed", path));
  }
  TESSERA_RETURN_IF_ERROR(
      ForEachChunk(path, "quick hash", [&state](const unsigned char* data, size_t size) {
        XXH3_128bits_update(state.get(), data, size);
      }));
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(state.get()));
  return Hex(canonical.digest, sizeof(canonical.digest));
}

bool IsContentHash(std::string_view s) {
  if (s.size() != kContentHashHexLength) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace tessera::library
