// A program running beside an integration test (a private dbus-daemon, `tessera dbus-service`):
// started in its own process group with extra environment, its output collected as it comes,
// and killed with its group when the object goes, whatever the test did.
#ifndef TESSERA_TESTS_SUPPORT_CHILD_PROCESS_H_
#define TESSERA_TESTS_SUPPORT_CHILD_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tessera/status.h"

namespace tessera::testing {

class ChildProcess {
 public:
  // Runs argv[0] (a path, or found on PATH) with `env` added to this process's environment.
  static Result<std::unique_ptr<ChildProcess>> Start(
      const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});

  // SIGKILLs the process group unless the process was reaped already.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::string Stdout() const;
  std::string Stderr() const;

  // Waits until `done(stdout)` holds (true) or `timeout` passes or the output ends (false).
  bool WaitForStdout(const std::function<bool(const std::string&)>& done,
                     std::chrono::milliseconds timeout) const;

  // Waits up to `timeout` for the process to exit by itself. Its exit code (128 + signal when
  // killed by one), or -1 when it is still running.
  int WaitForExit(std::chrono::milliseconds timeout);

  // SIGTERM, then waits up to `timeout`; SIGKILL to the group after. The exit code, or -1 when
  // it had to be killed.
  int Terminate(std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  ChildProcess() = default;
  void ReadOutput(int out_fd, int err_fd);

  pid_t pid_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::string out_;
  std::string err_;
  bool output_closed_ = false;
  int stop_pipe_[2] = {-1, -1};
  std::thread reader_;
};

}  // namespace tessera::testing

#endif  // TESSERA_TESTS_SUPPORT_CHILD_PROCESS_H_
