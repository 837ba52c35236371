// One thread that runs tasks in the order they were given: Cache1's file operations, which must
// not reorder (a Move then a Delete of the new name) and must not block the main loop.
#ifndef TESSERA_DBUS_SERIAL_EXECUTOR_H_
#define TESSERA_DBUS_SERIAL_EXECUTOR_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace tessera::dbus {

class SerialExecutor {
 public:
  SerialExecutor();
  // Runs what was given already, then joins.
  ~SerialExecutor();
  SerialExecutor(const SerialExecutor&) = delete;
  SerialExecutor& operator=(const SerialExecutor&) = delete;

  // Thread-safe.
  void Run(std::function<void()> task);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::thread thread_;
};

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_SERIAL_EXECUTOR_H_
