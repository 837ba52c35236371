#include "src/helper/fault.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace tessera::helper {
namespace {

Status Outcome(const std::string& probe, int rc) {
  return Status::Internal(probe + ": " + (rc < 0 ? std::strerror(errno) : "allowed"));
}

}  // namespace

Result<ThumbnailSet> InjectFault(const std::string& fault) {
  if (fault == "crash") ::raise(SIGSEGV);
  if (fault == "abort") std::abort();
  if (fault == "hang") {
    while (true) ::pause();
  }
  if (fault == "spin") {
    volatile uint64_t n = 0;
    while (true) n = n + 1;
  }
  if (fault == "oom") {
    std::vector<std::unique_ptr<char[]>> blocks;
    while (true) {
      blocks.emplace_back(new char[64 << 20]);
      std::memset(blocks.back().get(), 1, 64 << 20);
    }
  }
  if (fault == "try-exec") {
    char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
    return Outcome(fault, ::execv("/bin/true", argv));
  }
  if (fault == "try-fork") {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    if (pid > 0) ::waitpid(pid, nullptr, 0);
    return Outcome(fault, pid);
  }
  if (fault == "try-socket") {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0) ::close(fd);
    return Outcome(fault, fd);
  }
  if (fault.rfind("try-write:", 0) == 0) {
    const std::string path = fault.substr(10);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    return Outcome(fault, fd);
  }
  if (fault.rfind("try-kill:", 0) == 0) {
    return Outcome(fault, ::kill(static_cast<pid_t>(std::atol(fault.c_str() + 9)), 0));
  }
  return Status::InvalidArgument("unknown fault " + fault);
}

}  // namespace tessera::helper
