// Runs real programs (the tessera binary, gio, python3) for integration tests.
#ifndef TESSERA_TESTS_SUPPORT_PROCESS_H_
#define TESSERA_TESTS_SUPPORT_PROCESS_H_

#include <map>
#include <string>
#include <vector>

namespace tessera::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::map<std::string, std::string> env;  // set these (an empty value stays set, empty)
  std::vector<std::string> unset_env;      // and remove these
  std::string cwd;
  int umask = -1;                     // >= 0: the child's umask
  int timeout_seconds = 120;          // killed (SIGKILL) after this: a guard, not a speed test
  long long address_space_bytes = 0;  // > 0: RLIMIT_AS for the child
};

// Runs argv[0] (found on PATH) and waits. Output is captured whole.
ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// The tessera binary under test.
std::string TesseraBin();

}  // namespace tessera::testing

#endif  // TESSERA_TESTS_SUPPORT_PROCESS_H_
