// Test helpers for src/xdg: a real temp folder, files in it, small images.
#ifndef TESSERA_XDG_TEST_UTIL_H_
#define TESSERA_XDG_TEST_UTIL_H_

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "src/core/test_fs.h"
#include "tessera/image.h"
#include "tessera/xdg.h"

namespace tessera::xdg::testing {

using ::tessera::testing::ReadFile;
using ::tessera::testing::TempDir;
using ::tessera::testing::WriteFile;

inline void SetMTime(const std::string& path, time_t seconds) {
  struct timeval times[2] = {{seconds, 0}, {seconds, 0}};
  utimes(path.c_str(), times);
}

inline uint32_t ModeOf(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

inline Image SolidImage(int width, int height) {
  Image image{width, height, {}};
  image.rgba.assign(image.stride() * height, 0x80);
  return image;
}

// Sets an environment variable for the scope, restoring the old value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    had_ = old != nullptr;
    if (had_) old_ = old;
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (had_) {
      setenv(name_, old_.c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  bool had_ = false;
  std::string old_;
};

class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(umask(mask)) {}
  ~ScopedUmask() { umask(old_); }

 private:
  mode_t old_;
};

}  // namespace tessera::xdg::testing

#endif  // TESSERA_XDG_TEST_UTIL_H_
