#include "tests/support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace tessera::testing {

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
  std::unique_ptr<ChildProcess> child(new ChildProcess());
  int out_pipe[2], err_pipe[2];
  if (pipe2(child->stop_pipe_, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) {
    return Status::FromErrno(errno, "pipe");
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return Status::FromErrno(errno, "pipe");
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, STDIN_FILENO);
    setpgid(0, 0);
    for (const auto& [key, value] : env) setenv(key.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (pid < 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return Status::FromErrno(errno, "fork");
  }
  setpgid(pid, pid);  // also here, so that a kill of the group cannot race the child's own call
  child->pid_ = pid;
  child->reader_ = std::thread(
      [c = child.get(), out = out_pipe[0], err = err_pipe[0]] { c->ReadOutput(out, err); });
  return child;
}

void ChildProcess::ReadOutput(int out_fd, int err_fd) {
  pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
  std::string* sinks[2] = {&out_, &err_};
  int open_fds = 2;
  while (open_fds > 0) {
    int n = poll(fds, 3, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (fds[2].revents & POLLIN)) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      std::lock_guard lock(mu_);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<size_t>(got));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
      changed_.notify_all();
    }
  }
  for (int i = 0; i < 2; ++i) {
    if (fds[i].fd >= 0) close(fds[i].fd);
  }
  std::lock_guard lock(mu_);
  output_closed_ = true;
  changed_.notify_all();
}

std::string ChildProcess::Stdout() const {
  std::lock_guard lock(mu_);
  return out_;
}

std::string ChildProcess::Stderr() const {
  std::lock_guard lock(mu_);
  return err_;
}

bool ChildProcess::WaitForStdout(const std::function<bool(const std::string&)>& done,
                                 std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, timeout, [&] { return done(out_) || output_closed_; });
  return done(out_);
}

int ChildProcess::WaitForExit(std::chrono::milliseconds timeout) {
  if (reaped_) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t got = waitpid(pid_, &status, WNOHANG);
    if (got == pid_ || (got < 0 && errno == ECHILD)) {
      reaped_ = true;
      exit_code_ = got == pid_ && WIFEXITED(status) ? WEXITSTATUS(status)
                   : got == pid_                    ? 128 + WTERMSIG(status)
                                                    : -1;
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int ChildProcess::Terminate(std::chrono::milliseconds timeout) {
  if (!reaped_) kill(pid_, SIGTERM);
  int code = WaitForExit(timeout);
  kill(-pid_, SIGKILL);  // what is left of the group (decoder helpers), or the process itself
  if (code == -1) WaitForExit(std::chrono::seconds(10));
  return code;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(-pid_, SIGKILL);
    if (!reaped_) WaitForExit(std::chrono::seconds(10));
  }
  if (reader_.joinable()) {
    {
      // Output ends once every holder of the pipes is gone; don't wait forever.
      std::unique_lock lock(mu_);
      changed_.wait_for(lock, std::chrono::seconds(5), [this] { return output_closed_; });
    }
    char stop = 1;
    (void)!write(stop_pipe_[1], &stop, 1);
    reader_.join();
  }
  for (int fd : stop_pipe_) {
    if (fd >= 0) close(fd);
  }
}

}  // namespace tessera::testing
