#include "src/library/passwords.h"

#include <argon2.h>
#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <vector>

namespace tessera::library {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr std::string_view kArgon2idPrefix = "$argon2id$";

// sodium_init is thread-safe and idempotent; it seeds randombytes.
bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  if (password.empty()) return Status::InvalidArgument("password: empty");
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument(
        fmt::format("password: longer than {} bytes", kMaxPasswordBytes));
  }
  if (!SodiumReady()) return Status::Internal("password: libsodium failed to initialise");
  std::array<uint8_t, kSaltBytes> salt;
  randombytes_buf(salt.data(), salt.size());
  std::vector<char> encoded(argon2_encodedlen(cost.time_cost, cost.memory_kib, cost.parallelism,
                                              kSaltBytes, kHashBytes, Argon2_id) +
                            1);
  int rc = argon2id_hash_encoded(cost.time_cost, cost.memory_kib, cost.parallelism, password.data(),
                                 password.size(), salt.data(), salt.size(), kHashBytes,
                                 encoded.data(), encoded.size());
  sodium_memzero(salt.data(), salt.size());
  if (rc != ARGON2_OK) {
    return Status::Internal(fmt::format("password: argon2id: {}", argon2_error_message(rc)));
  }
  return std::string(encoded.data());
}

bool VerifyPassword(std::string_view password, const std::string& encoded) {
  if (password.empty() || password.size() > kMaxPasswordBytes) return false;
  if (encoded.compare(0, kArgon2idPrefix.size(), kArgon2idPrefix) != 0) return false;
  // argon2id_verify compares in constant time.
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace tessera::library
