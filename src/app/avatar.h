// Avatars: an uploaded image, decoded like any untrusted file (through the engine, so formats
// that need a sandbox get one), cut to a centred square and stored as PNG.
#ifndef TESSERA_APP_AVATAR_H_
#define TESSERA_APP_AVATAR_H_

#include <string>
#include <string_view>

#include "tessera/engine.h"
#include "tessera/status.h"

namespace tessera::app {

inline constexpr int kAvatarEdge = 256;

// The avatar PNG of `image_bytes`: a square of kAvatarEdge pixels at most (smaller images give
// a smaller square, never an upscaled one). The bytes pass through a private temp file in
// `temp_dir`, removed before returning. Errors are the engine's (Unsupported, Corrupt,
// TooLarge name the reason) or the temp file's.
Result<std::string> MakeAvatarPng(const Engine& engine, const std::string& temp_dir,
                                  std::string_view image_bytes);

}  // namespace tessera::app

#endif  // TESSERA_APP_AVATAR_H_
