// Decoder helpers shared by every thread of the process: one request per helper at a time,
// idle helpers reused, dead or worn-out ones replaced.
#ifndef TESSERA_ISOLATE_HELPER_POOL_H_
#define TESSERA_ISOLATE_HELPER_POOL_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "src/isolate/helper_process.h"
#include "src/isolate/messages.h"
#include "tessera/engine.h"

namespace tessera::isolate {

// The helper program: `configured` when set, else $TESSERA_HELPER, else tessera-helper beside
// the running executable (a build tree), else <prefix>/libexec/tessera/tessera-helper relative
// to the running <prefix>/bin/tessera, else the configured install path. NotFound when none is
// executable.
Result<std::string> FindHelper(const std::string& configured);

class HelperPool {
 public:
  HelperPool(std::string helper_path, HelperLimits limits, bool verbose);
  HelperPool(const HelperPool&) = delete;
  HelperPool& operator=(const HelperPool&) = delete;
  ~HelperPool();

  // Runs one request on an idle helper, starting one when none is idle. A helper that was
  // already gone before the request reached it is replaced and the request retried once; one
  // that dies or overruns during it is the file's failure ("<path>: decoder crashed: SIGSEGV").
  // Thread-safe.
  Result<ThumbnailSet> Run(const HelperRequest& request);
  // As Run, but returns the helper's reply undecoded, for requests whose answer is not a
  // ThumbnailSet (clips: DecodeClipReply).
  Result<Message> Call(const HelperRequest& request);

  // Helpers started so far (for tests and benchmarks).
  int started() const;
  const HelperLimits& limits() const { return limits_; }

 private:
  Result<std::unique_ptr<HelperProcess>> Acquire();
  void Release(std::unique_ptr<HelperProcess> helper);

  const std::string helper_path_;
  const HelperLimits limits_;
  const bool verbose_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<HelperProcess>> idle_;  // guarded by mu_
  int started_ = 0;                                   // guarded by mu_
};

}  // namespace tessera::isolate

#endif  // TESSERA_ISOLATE_HELPER_POOL_H_
