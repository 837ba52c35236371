#include "src/isolate/helper_pool.h"

#include <limits.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>

namespace tessera::isolate {
namespace {

bool Executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

std::string SelfDir() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string exe(buf, static_cast<size_t>(n));
  const size_t slash = exe.rfind('/');
  return slash == std::string::npos ? "" : exe.substr(0, slash);
}

}  // namespace

Result<std::string> FindHelper(const std::string& configured) {
  if (!configured.empty()) {
    if (Executable(configured)) return configured;
    return Status::NotFound("decoder helper not executable: " + configured);
  }
  if (const char* env = std::getenv("TESSERA_HELPER"); env != nullptr && *env != '\0') {
    if (Executable(env)) return std::string(env);
    return Status::NotFound(std::string("decoder helper not executable: ") + env);
  }
  const std::string self = SelfDir();
  const std::string beside = self + "/tessera-helper";  // a build tree
  if (Executable(beside)) return beside;
  const std::string relocated = self + "/../libexec/tessera/tessera-helper";  // <prefix>/bin
  if (Executable(relocated)) return relocated;
#ifdef TESSERA_HELPER_INSTALL_PATH
  if (Executable(TESSERA_HELPER_INSTALL_PATH)) return std::string(TESSERA_HELPER_INSTALL_PATH);
#endif
  return Status::NotFound("decoder helper tessera-helper not found (set TESSERA_HELPER)");
}

HelperPool::HelperPool(std::string helper_path, HelperLimits limits, bool verbose)
    : helper_path_(std::move(helper_path)), limits_(limits), verbose_(verbose) {}

HelperPool::~HelperPool() = default;

int HelperPool::started() const {
  std::lock_guard<std::mutex> lock(mu_);
  return started_;
}

Result<std::unique_ptr<HelperProcess>> HelperPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<HelperProcess> helper = std::move(idle_.back());
      idle_.pop_back();
      return helper;
    }
    ++started_;
  }
  return HelperProcess::Spawn(helper_path_, limits_, verbose_);
}

void HelperPool::Release(std::unique_ptr<HelperProcess> helper) {
  if (helper->dead() || helper->jobs() >= limits_.max_jobs) return;  // destroyed here
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(helper));
}

Result<ThumbnailSet> HelperPool::Run(const HelperRequest& request) {
  TESSERA_ASSIGN_OR_RETURN(const Message reply, Call(request));
  return DecodeReply(reply);
}

Result<Message> HelperPool::Call(const HelperRequest& request) {
  const Message message = EncodeRequest(request);
  for (int attempt = 0; attempt < 2; ++attempt) {
    TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<HelperProcess> helper, Acquire());
    Result<Message> reply = helper->Call(message, limits_.timeout, request.cpu_seconds);
    const pid_t pid = helper->pid();
    Release(std::move(helper));
    if (!reply.ok() && reply.status().code() == StatusCode::kIOError && attempt == 0) {
      spdlog::debug("helper: pid {} was gone before {}; retrying on another", pid, request.path);
      continue;
    }
    if (!reply.ok()) {
      spdlog::debug("helper: pid {} failed on {}: {}", pid, request.path, reply.status().message());
      return reply.status().WithContext(request.path);
    }
    return std::move(*reply);
  }
  return Status::IOError(request.path + ": decoder helper unavailable");
}

}  // namespace tessera::isolate
