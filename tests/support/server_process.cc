#include "tests/support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <regex>

#include "tests/support/process.h"

namespace tessera::testing {
namespace {

using Clock = std::chrono::steady_clock;

// The port of "tessera: serving ... at http://127.0.0.1:PORT/ ...", or 0.
uint16_t PortFrom(const std::string& out) {
  static const std::regex kServing(R"(serving .* at http://127\.0\.0\.1:([0-9]+)/)");
  std::smatch match;
  if (!std::regex_search(out, match, kServing)) return 0;
  return static_cast<uint16_t>(std::stoi(match[1].str()));
}

}  // namespace

Result<std::unique_ptr<ServerProcess>> ServerProcess::Start(const std::vector<std::string>& args,
                                                            std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {TesseraBin(), "serve"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--port", "0"});

  std::unique_ptr<ServerProcess> server(new ServerProcess());
  if (pipe2(server->stop_pipe_, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe");
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe");
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
    std::vector<char*> cargs;
    for (const std::string& a : argv) cargs.push_back(const_cast<char*>(a.c_str()));
    cargs.push_back(nullptr);
    execv(cargs[0], cargs.data());
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
  server->pid_ = pid;
  server->reader_ = std::thread(
      [s = server.get(), out = out_pipe[0], err = err_pipe[0]] { s->ReadOutput(out, err); });

  std::unique_lock lock(server->mu_);
  const bool listening = server->changed_.wait_for(
      lock, timeout, [&] { return PortFrom(server->out_) != 0 || server->output_closed_; });
  server->port_ = PortFrom(server->out_);
  if (server->port_ == 0) {
    std::string why = listening ? "tessera serve exited before listening"
                                : "tessera serve did not say it was listening in time";
    return Status::Internal(why + "\nstdout: " + server->out_ + "\nstderr: " + server->err_);
  }
  return server;
}

void ServerProcess::ReadOutput(int out_fd, int err_fd) {
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

std::string ServerProcess::Stdout() const {
  std::lock_guard lock(mu_);
  return out_;
}

std::string ServerProcess::Stderr() const {
  std::lock_guard lock(mu_);
  return err_;
}

bool ServerProcess::WaitForStderr(std::string_view needle,
                                  std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] {
    return err_.find(needle) != std::string::npos || output_closed_;
  }) && err_.find(needle) != std::string::npos;
}

int ServerProcess::Reap(std::chrono::milliseconds timeout) {
  if (reaped_) return exit_code_;
  const Clock::time_point deadline = Clock::now() + timeout;
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
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void ServerProcess::StopReader() {
  if (!reader_.joinable()) return;
  // Output ends once every holder of the pipes (helpers included) is gone; don't wait forever.
  {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, std::chrono::seconds(5), [this] { return output_closed_; });
  }
  char stop = 1;
  (void)!write(stop_pipe_[1], &stop, 1);
  reader_.join();
}

int ServerProcess::Terminate(std::chrono::milliseconds timeout) {
  if (reaped_) return exit_code_;
  kill(pid_, SIGTERM);
  int code = Reap(timeout);
  if (code == -1) {
    kill(-pid_, SIGKILL);
    Reap(std::chrono::seconds(10));
    return -1;
  }
  kill(-pid_, SIGKILL);  // any helper the server left behind
  return code;
}

int ServerProcess::Kill() {
  if (reaped_) return exit_code_;
  kill(pid_, SIGKILL);
  int code = Reap(std::chrono::seconds(10));
  kill(-pid_, SIGKILL);
  return code;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && !reaped_) {
    kill(-pid_, SIGKILL);
    Reap(std::chrono::seconds(10));
  }
  StopReader();
  for (int fd : stop_pipe_) {
    if (fd >= 0) close(fd);
  }
}

}  // namespace tessera::testing
