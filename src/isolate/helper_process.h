// One decoder helper process: spawned with its limits, fed one request at a time over a Unix
// socket, killed when it overruns its wall-clock budget, reaped with the reason it died.
#ifndef TESSERA_ISOLATE_HELPER_PROCESS_H_
#define TESSERA_ISOLATE_HELPER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "src/core/unique_fd.h"
#include "src/isolate/protocol.h"
#include "tessera/status.h"

namespace tessera::isolate {

struct HelperLimits {
  std::chrono::milliseconds timeout{30'000};  // wall clock per request
  int cpu_seconds = 30;                       // CPU per request (RLIMIT_CPU, reset per request)
  uint64_t address_space_bytes = 2ull << 30;  // RLIMIT_AS of the whole helper
  int max_jobs = 256;                         // requests before the helper is replaced
};

class HelperProcess {
 public:
  // Starts `helper_path` with one end of a socket pair as fd 3. The helper applies the limits
  // to itself before it reads any request (see tools/helper/tessera_helper.cc).
  static Result<std::unique_ptr<HelperProcess>> Spawn(const std::string& helper_path,
                                                      const HelperLimits& limits, bool verbose);

  HelperProcess(const HelperProcess&) = delete;
  HelperProcess& operator=(const HelperProcess&) = delete;
  // Closes the socket (a healthy helper exits on EOF), then reaps the process, killing it if it
  // has not gone within a moment.
  ~HelperProcess();

  pid_t pid() const { return pid_; }
  int jobs() const { return jobs_; }
  bool dead() const { return dead_; }

  // Sends `request` and waits for the reply. When the helper dies or overruns `timeout`, it is
  // killed and reaped, dead() becomes true, and the status says why, without a file name:
  //   Corrupt   "decoder crashed: SIGSEGV", "decoder exited with status 3"
  //   TooLarge  "timed out after 30 s", "used more than 30 s of CPU"
  //   IOError   the request could not be sent (the helper was already gone: retry elsewhere)
  // `cpu_seconds` is the request's CPU budget, named when the helper exceeds it.
  Result<Message> Call(const Message& request, std::chrono::milliseconds timeout, int cpu_seconds);

 private:
  HelperProcess(pid_t pid, UniqueFd socket) : pid_(pid), socket_(std::move(socket)) {}
  // Waits for the process to end (killing it after `grace`) and describes how it ended.
  Status Reap(std::chrono::milliseconds grace);

  pid_t pid_;
  UniqueFd socket_;
  int jobs_ = 0;
  bool dead_ = false;
  int cpu_seconds_ = 0;
};

// How a child ended, from a waitpid status: "decoder crashed: SIGSEGV", "used more than 30 s of
// CPU" (SIGXCPU), "decoder exited with status 2".
Status DescribeExit(int wait_status, int cpu_seconds);

}  // namespace tessera::isolate

#endif  // TESSERA_ISOLATE_HELPER_PROCESS_H_
