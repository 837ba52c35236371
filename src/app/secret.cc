#include "src/app/secret.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "src/core/unique_fd.h"
#include "src/media/file_bytes.h"
#include "src/server/tokens.h"

namespace tessera::app {
namespace {

constexpr size_t kMinSecretChars = 64;

Result<std::string> ReadSecret(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Status::FromErrno(errno, path);
  if ((st.st_mode & 077) != 0) {
    return Status::PermissionDenied(
        fmt::format("{}: the token secret is readable by others (mode {:o}); chmod 600 it", path,
                    st.st_mode & 0777));
  }
  TESSERA_ASSIGN_OR_RETURN(std::string secret, media::ReadFileBytes(path, 4096));
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.size() < kMinSecretChars) {
    return Status::Corrupt(fmt::format("{}: the token secret is too short", path));
  }
  return secret;
}

}  // namespace

Result<std::string> LoadOrCreateSecret(const std::string& path) {
  if (::access(path.c_str(), F_OK) == 0) return ReadSecret(path);
  const std::string raw = server::NewTokenSecret();
  std::string hex(raw.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  const std::string temp = fmt::format("{}.{}.tmp", path, ::getpid());
  {
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd.valid()) return Status::FromErrno(errno, temp);
    std::string line = hex + "\n";
    if (::write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      Status error = Status::FromErrno(errno, temp);
      ::unlink(temp.c_str());
      return error;
    }
  }
  // link() fails when another process created the secret first: then theirs wins.
  if (::link(temp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    Status error = Status::FromErrno(errno, path);
    ::unlink(temp.c_str());
    return error;
  }
  ::unlink(temp.c_str());
  return ReadSecret(path);
}

}  // namespace tessera::app
