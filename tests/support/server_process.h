// `tessera serve` as a child process for integration tests: started on a free port (--port 0;
// the port is read from the line it prints once listening), its output collected as it comes,
// and killed with its process group when the object goes away, whatever the test did.
#ifndef TESSERA_TESTS_SUPPORT_SERVER_PROCESS_H_
#define TESSERA_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tessera/status.h"

namespace tessera::testing {

class ServerProcess {
 public:
  // Runs `tessera serve <args> --port 0` in its own process group and waits (up to `timeout`)
  // for "serving ... at http://127.0.0.1:PORT/" on its stdout. Errors: it exited first (with its
  // stderr), or said nothing in time.
  static Result<std::unique_ptr<ServerProcess>> Start(
      const std::vector<std::string>& args,
      std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // SIGKILLs the process group (the server and any decoder helper) unless it was reaped already.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

  // What the server printed so far.
  std::string Stdout() const;
  std::string Stderr() const;
  // Waits until stderr contains `needle` (true) or `timeout` passes (false).
  bool WaitForStderr(std::string_view needle, std::chrono::milliseconds timeout) const;

  // SIGTERM, then waits up to `timeout` for the exit. Returns the exit code (128 + signal when
  // killed by one); -1 when it did not exit in time (it is then SIGKILLed).
  int Terminate(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // SIGKILL to the server alone (as a crash or the OOM killer would), then to what is left of
  // its process group; waits for it. Returns the exit code (137).
  int Kill();

 private:
  ServerProcess() = default;
  void ReadOutput(int out_fd, int err_fd);
  int Reap(std::chrono::milliseconds timeout);  // -1 on timeout
  void StopReader();

  pid_t pid_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
  uint16_t port_ = 0;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::string out_;
  std::string err_;
  bool output_closed_ = false;
  int stop_pipe_[2] = {-1, -1};  // written to stop the reader thread
  std::thread reader_;
};

}  // namespace tessera::testing

#endif  // TESSERA_TESTS_SUPPORT_SERVER_PROCESS_H_
