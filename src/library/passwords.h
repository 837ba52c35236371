// Password hashing with argon2id (libargon2), in its self-describing encoded form
// ("$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>"), so costs can rise without breaking old hashes.
//
// Thread safety: both functions are safe to call from any thread.
#ifndef TESSERA_LIBRARY_PASSWORDS_H_
#define TESSERA_LIBRARY_PASSWORDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tessera/status.h"

namespace tessera::library {

struct PasswordCost {
  uint32_t time_cost = 3;           // passes over memory
  uint32_t memory_kib = 64 * 1024;  // 64 MiB
  uint32_t parallelism = 1;
};

// For users: about 0.1-0.3 s on a current CPU.
inline constexpr PasswordCost kDefaultPasswordCost{};
// For tests only: the smallest cost argon2 accepts.
inline constexpr PasswordCost kTestPasswordCost{1, 8, 1};

// Longer passwords are refused (kInvalidArgument) to bound the work an attacker can ask for.
inline constexpr size_t kMaxPasswordBytes = 1024;

// Hashes `password` with a fresh random 16-byte salt. kInvalidArgument for an empty or overlong
// password, kInternal when the libraries fail.
Result<std::string> HashPassword(std::string_view password,
                                 const PasswordCost& cost = kDefaultPasswordCost);

// True when `encoded` is an argon2id hash of `password`. False for anything else, including a
// malformed or non-argon2id `encoded` and an empty `encoded` (a user who may not sign in).
bool VerifyPassword(std::string_view password, const std::string& encoded);

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_PASSWORDS_H_
