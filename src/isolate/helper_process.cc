#include "src/isolate/helper_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cerrno>
#include <thread>
#include <vector>

extern char** environ;

namespace tessera::isolate {
namespace {

// The helper's end of the socket pair is always this descriptor.
constexpr int kHelperFd = 3;

std::string SignalName(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev != nullptr ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", sig);
}

}  // namespace

Status DescribeExit(int wait_status, int cpu_seconds) {
  if (WIFSIGNALED(wait_status)) {
    const int sig = WTERMSIG(wait_status);
    if (sig == SIGXCPU)
      return Status::TooLarge(fmt::format("used more than {} s of CPU", cpu_seconds));
    return Status::Corrupt("decoder crashed: " + SignalName(sig));
  }
  if (WIFEXITED(wait_status)) {
    return Status::Corrupt(fmt::format("decoder exited with status {}", WEXITSTATUS(wait_status)));
  }
  return Status::Corrupt("decoder stopped unexpectedly");
}

Result<std::unique_ptr<HelperProcess>> HelperProcess::Spawn(const std::string& helper_path,
                                                            const HelperLimits& limits,
                                                            bool verbose) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return Status::FromErrno(errno, "helper: socketpair");
  }
  UniqueFd parent(fds[0]);
  UniqueFd child(fds[1]);
  if (child.get() == kHelperFd) {  // dup2 onto itself would keep close-on-exec set
    child.reset(::fcntl(fds[1], F_DUPFD_CLOEXEC, kHelperFd + 1));
    if (!child.valid()) return Status::FromErrno(errno, "helper: fcntl");
  }

  std::vector<std::string> args = {
      helper_path, fmt::format("--fd={}", kHelperFd),
      fmt::format("--memory={}", limits.address_space_bytes),
      fmt::format("--cpu-total={}",
                  static_cast<long long>(limits.cpu_seconds) * (limits.max_jobs + 1) + 60)};
  if (verbose) args.push_back("--verbose");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, child.get(), kHelperFd);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, helper_path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Status::FromErrno(rc, "helper: cannot start " + helper_path);
  child.reset();
  spdlog::debug("helper: started {} (pid {})", helper_path, pid);
  return std::unique_ptr<HelperProcess>(new HelperProcess(pid, std::move(parent)));
}

HelperProcess::~HelperProcess() {
  socket_.reset();
  if (!dead_) (void)Reap(std::chrono::milliseconds(500));
}

Status HelperProcess::Reap(std::chrono::milliseconds grace) {
  dead_ = true;
  int wait_status = 0;
  const auto until = std::chrono::steady_clock::now() + grace;
  while (true) {
    const pid_t done = ::waitpid(pid_, &wait_status, WNOHANG);
    if (done == pid_) return DescribeExit(wait_status, cpu_seconds_);
    if (done < 0 && errno != EINTR) return Status::Internal("helper: waitpid failed");
    if (std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, &wait_status, 0) < 0 && errno == EINTR) {
  }
  return DescribeExit(wait_status, cpu_seconds_);
}

Result<Message> HelperProcess::Call(const Message& request, std::chrono::milliseconds timeout,
                                    int cpu_seconds) {
  if (dead_) return Status::IOError("helper is gone");
  cpu_seconds_ = cpu_seconds;
  ++jobs_;
  if (Status sent = SendMessage(socket_.get(), request); !sent.ok()) {
    socket_.reset();
    (void)Reap(std::chrono::milliseconds(100));
    return Status::IOError("helper is gone");
  }
  Received reply = ReceiveMessage(socket_.get(), std::chrono::steady_clock::now() + timeout);
  switch (reply.state) {
    case Received::State::kOk:
      return std::move(reply.message);
    case Received::State::kTimedOut: {
      ::kill(pid_, SIGKILL);
      socket_.reset();
      (void)Reap(std::chrono::milliseconds(1000));
      const double seconds = timeout.count() / 1000.0;
      return Status::TooLarge(fmt::format("timed out after {:g} s", seconds));
    }
    case Received::State::kClosed:
      socket_.reset();
      // A helper that closed its socket is exiting or has exited: wait for it.
      return Reap(std::chrono::milliseconds(2000));
    case Received::State::kBroken:
      break;
  }
  ::kill(pid_, SIGKILL);
  socket_.reset();
  (void)Reap(std::chrono::milliseconds(1000));
  return Status::Internal("helper sent a malformed reply: " + reply.error);
}

}  // namespace tessera::isolate
