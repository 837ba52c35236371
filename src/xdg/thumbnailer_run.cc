#include "src/xdg/thumbnailer_run.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <glib.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <vector>

#include "src/core/unique_fd.h"
#include "src/xdg/thumbnailer_seccomp.h"

namespace tessera::xdg {
namespace {

namespace fs = std::filesystem;

// Inside the sandbox: the input, the output, and the folder that holds them.
constexpr char kSandboxTmp[] = "/tmp";
constexpr char kOutputName[] = "tessera-output.png";
constexpr size_t kStderrKept = 4096;
// The descriptor bwrap reads the seccomp filter from, in the child.
constexpr int kSeccompFd = 3;

std::string FindProgram(const std::string& name) {
  gchar* found = g_find_program_in_path(name.c_str());
  std::string path = found != nullptr ? found : "";
  g_free(found);
  return path;
}

// The input's extension, kept inside the sandbox (some thumbnailers go by it): letters and
// digits only, at most 10, else none.
std::string SafeExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  if (ext.size() < 2 || ext.size() > 11) return "";
  for (size_t i = 1; i < ext.size(); ++i) {
    if (!g_ascii_isalnum(ext[i])) return "";
  }
  return ext;
}

std::string LastLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const size_t nl = text.rfind('\n');
  std::string line = nl == std::string::npos ? text : text.substr(nl + 1);
  if (line.size() > 200) line = line.substr(0, 200) + "...";
  return line;
}

// What a child runs with: a fixed, small environment (no display, no session bus, no user
// configuration), so that a thumbnailer behaves the same wherever it is started from.
std::vector<std::string> ChildEnvironment(const std::string& home) {
  std::vector<std::string> env = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + home,
                                  "TMPDIR=" + home, "GIO_USE_VFS=local", "G_MESSAGES_DEBUG="};
  for (const char* name : {"LANG", "LC_ALL", "LC_CTYPE"}) {
    if (const char* v = getenv(name)) env.push_back(std::string(name) + "=" + v);
  }
  return env;
}

// The bwrap arguments for a read-only view of the system: /usr, the merged-/usr links (or the
// folders, where they are real), what dynamic linking and fonts need, fresh /proc and /dev,
// every namespace unshared (network included), a new session, gone when we are, and the seccomp
// filter (thumbnailer_seccomp.h) read from descriptor kSeccompFd.
std::vector<std::string> SandboxArgs(const std::string& bwrap) {
  std::vector<std::string> args = {bwrap, "--ro-bind", "/usr", "/usr"};
  for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    std::error_code ec;
    const fs::file_status st = fs::symlink_status(top, ec);
    if (ec || !fs::exists(st)) continue;
    if (fs::is_symlink(st)) {
      args.insert(args.end(), {"--symlink", fs::read_symlink(top, ec).string(), top});
    } else if (fs::is_directory(st)) {
      args.insert(args.end(), {"--ro-bind", top, top});
    }
  }
  for (const char* etc : {"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/fonts",
                          "/etc/alternatives", "/var/cache/fontconfig"}) {
    args.insert(args.end(), {"--ro-bind-try", etc, etc});
  }
  args.insert(args.end(),
              {"--proc", "/proc", "--dev", "/dev", "--chdir", "/", "--unshare-all",
               "--die-with-parent", "--new-session", "--seccomp", std::to_string(kSeccompFd)});
  return args;
}

struct Child {
  pid_t pid = -1;
  UniqueFd stderr_read;
};

// fork + exec with the limits applied in the child (only async-signal-safe calls after fork).
// `pass_fd`, when valid, becomes the child's kSeccompFd.
Result<Child> Start(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                    const ExternalThumbnailerOptions& limits, const UniqueFd& pass_fd) {
  std::vector<char*> cargv, cenv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const std::string& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe");
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  UniqueFd null(open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!null.valid()) return Status::FromErrno(errno, "/dev/null");
  const rlim_t cpu = static_cast<rlim_t>(limits.timeout_seconds) + 1;
  const rlimit as{limits.memory_bytes, limits.memory_bytes};
  const rlimit cpu_limit{cpu, cpu};
  const rlimit no_core{0, 0};
  const rlimit fsize{limits.max_output_bytes + 1, limits.max_output_bytes + 1};
  const pid_t pid = fork();
  if (pid < 0) return Status::FromErrno(errno, "fork");
  if (pid == 0) {
    setpgid(0, 0);
    dup2(null.get(), 0);
    dup2(null.get(), 1);
    dup2(write_end.get(), 2);
    setrlimit(RLIMIT_AS, &as);
    setrlimit(RLIMIT_CPU, &cpu_limit);
    setrlimit(RLIMIT_CORE, &no_core);
    setrlimit(RLIMIT_FSIZE, &fsize);
    int first_closed = 3;
    if (pass_fd.valid()) {
      if (pass_fd.get() != kSeccompFd) dup2(pass_fd.get(), kSeccompFd);
      fcntl(kSeccompFd, F_SETFD, 0);
      first_closed = kSeccompFd + 1;
    }
    // The other descriptors above 2 are close-on-exec here or closed now.
    close_range(static_cast<unsigned>(first_closed), ~0U, 0);
    execve(cargv[0], cargv.data(), cenv.data());
    _exit(127);
  }
  return Child{pid, std::move(read_end)};
}

struct Ended {
  bool timed_out = false;
  int wait_status = 0;
  std::string stderr_text;
};

// Waits for the child until the deadline, keeping the start of its stderr; kills its process
// group when the deadline passes.
Ended Wait(Child& child, std::chrono::milliseconds timeout) {
  Ended ended;
  // Readable when the child exits. (glibc 2.36's <sys/pidfd.h> lacks C linkage for C++.)
  UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, child.pid, 0)));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (waitpid(child.pid, &ended.wait_status, WNOHANG) == child.pid) return ended;
    const int64_t left = std::chrono::duration_cast<std::chrono::milliseconds>(
                             deadline - std::chrono::steady_clock::now())
                             .count();
    if (left <= 0) break;
    std::vector<pollfd> fds;
    if (pidfd.valid()) fds.push_back({pidfd.get(), POLLIN, 0});
    const int err = child.stderr_read.valid() ? static_cast<int>(fds.size()) : -1;
    if (err >= 0) fds.push_back({child.stderr_read.get(), POLLIN, 0});
    // Without a pidfd (an old kernel), look for the exit every 50 ms.
    const int64_t wait_ms = std::min<int64_t>(left, pidfd.valid() ? 1000 : 50);
    if (poll(fds.data(), fds.size(), static_cast<int>(wait_ms)) < 0 && errno != EINTR) break;
    if (err >= 0 && (fds[err].revents & (POLLIN | POLLHUP | POLLERR))) {
      char buffer[4096];
      const ssize_t n = read(child.stderr_read.get(), buffer, sizeof(buffer));
      if (n > 0) {
        const size_t room = kStderrKept - std::min(kStderrKept, ended.stderr_text.size());
        ended.stderr_text.append(buffer, std::min<size_t>(room, static_cast<size_t>(n)));
      } else if (n == 0 || errno != EINTR) {
        child.stderr_read.reset();
      }
    }
  }
  ended.timed_out = true;
  kill(-child.pid, SIGKILL);
  kill(child.pid, SIGKILL);
  waitpid(child.pid, &ended.wait_status, 0);
  return ended;
}

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

}  // namespace

const SandboxAvailability& Sandbox() {
  static const SandboxAvailability* availability = [] {
    auto* a = new SandboxAvailability;
    a->bwrap = FindProgram("bwrap");
    if (a->bwrap.empty()) {
      a->reason = "bubblewrap (bwrap) is not installed";
    } else {
      std::vector<std::string> argv = SandboxArgs(a->bwrap);
      argv.insert(argv.end(), {"--", "/bin/true"});
      ExternalThumbnailerOptions limits;
      limits.timeout_seconds = 10;
      Result<UniqueFd> filter = ThumbnailerSeccompFd();
      Result<Child> child = filter.ok() ? Start(argv, ChildEnvironment("/"), limits, *filter)
                                        : Result<Child>(filter.status());
      if (!child.ok()) {
        a->reason = child.status().ToString();
      } else {
        Ended ended = Wait(*child, std::chrono::seconds(10));
        if (!ended.timed_out && WIFEXITED(ended.wait_status) &&
            WEXITSTATUS(ended.wait_status) == 0) {
          a->available = true;
        } else {
          a->reason = "bwrap cannot make a sandbox here: " +
                      (ended.timed_out ? std::string("timed out") : LastLine(ended.stderr_text));
        }
      }
    }
    if (a->available) {
      spdlog::debug("thumbnailers: external thumbnailers run inside {}", a->bwrap);
    } else {
      spdlog::warn("thumbnailers: external thumbnailers cannot be sandboxed: {}", a->reason);
    }
    return a;
  }();
  return *availability;
}

ExternalOutput::ExternalOutput(ExternalOutput&& other) noexcept
    : dir_(std::exchange(other.dir_, "")),
      path_(std::exchange(other.path_, "")),
      sandboxed_(other.sandboxed_) {}

ExternalOutput& ExternalOutput::operator=(ExternalOutput&& other) noexcept {
  if (this != &other) {
    Remove();
    dir_ = std::exchange(other.dir_, "");
    path_ = std::exchange(other.path_, "");
    sandboxed_ = other.sandboxed_;
  }
  return *this;
}

ExternalOutput::~ExternalOutput() { Remove(); }

void ExternalOutput::Remove() {
  if (dir_.empty()) return;
  std::error_code ec;
  fs::remove_all(dir_, ec);
  dir_.clear();
}

Result<ExternalOutput> RunThumbnailer(const ThumbnailerEntry& entry, const std::string& path,
                                      const std::string& uri, const std::string& mime_type,
                                      int size, const ExternalThumbnailerOptions& limits) {
  gint argc = 0;
  gchar** raw = nullptr;
  std::string program_name = "thumbnailer";
  if (g_shell_parse_argv(entry.exec.c_str(), &argc, &raw, nullptr)) {
    if (argc > 0) program_name = fs::path(raw[0]).filename().string();
    g_strfreev(raw);
  }
  const std::string who = fmt::format("{}: thumbnailer {} ({})", path, program_name, entry.name);

  bool sandboxed = false;
  if (limits.sandbox != ExternalThumbnailerOptions::Sandbox::kOff) {
    const SandboxAvailability& sandbox = Sandbox();
    if (sandbox.available) {
      sandboxed = true;
    } else if (limits.sandbox == ExternalThumbnailerOptions::Sandbox::kRequired) {
      return Status::Internal(fmt::format("{}: not run: {}", who, sandbox.reason));
    }
  }

  std::string tmpl = std::string(g_get_tmp_dir()) + "/tessera-thumbnailer-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) return Status::FromErrno(errno, "mkdtemp").WithContext(who);
  ExternalOutput output(tmpl, tmpl + "/" + kOutputName);

  const std::string ext = SafeExtension(path);
  ExecFields fields;
  fields.size = size;
  fields.mime_type = mime_type;
  std::vector<std::string> argv;
  std::vector<std::string> env;
  if (sandboxed) {
    const std::string inside = std::string(kSandboxTmp) + "/tessera-input" + ext;
    fields.input_path = inside;
    gchar* inside_uri = g_filename_to_uri(inside.c_str(), nullptr, nullptr);
    fields.input_uri = inside_uri != nullptr ? inside_uri : "";
    g_free(inside_uri);
    fields.output = std::string(kSandboxTmp) + "/" + kOutputName;
    argv = SandboxArgs(Sandbox().bwrap);
    // The program itself, when it lives outside /usr, read-only at its own path.
    TESSERA_ASSIGN_OR_RETURN(std::vector<std::string> probe, ExpandExec(entry.exec, fields));
    std::string program = FindProgram(probe[0]);
    if (program.empty()) return Status::Internal(fmt::format("{}: not found on PATH", who));
    std::error_code ec;
    const std::string real = fs::canonical(program, ec).string();
    if (!ec && real.rfind("/usr/", 0) != 0) {
      const std::string dir = fs::path(real).parent_path().string();
      argv.insert(argv.end(), {"--ro-bind", dir, dir});
    }
    argv.insert(argv.end(), {"--bind", tmpl, kSandboxTmp, "--ro-bind", path, inside, "--"});
    TESSERA_ASSIGN_OR_RETURN(std::vector<std::string> command, ExpandExec(entry.exec, fields));
    argv.insert(argv.end(), command.begin(), command.end());
    argv[0] = Sandbox().bwrap;
    env = ChildEnvironment(kSandboxTmp);
  } else {
    fields.input_path = path;
    fields.input_uri = uri;
    fields.output = output.path();
    TESSERA_ASSIGN_OR_RETURN(argv, ExpandExec(entry.exec, fields));
    const std::string program = FindProgram(argv[0]);
    if (program.empty()) return Status::Internal(fmt::format("{}: not found on PATH", who));
    argv[0] = program;
    env = ChildEnvironment(tmpl);
  }
  output.set_sandboxed(sandboxed);

  UniqueFd filter;
  if (sandboxed) {
    Result<UniqueFd> made = ThumbnailerSeccompFd();
    if (!made.ok()) return made.status().WithContext(who);
    filter = std::move(*made);
  }
  Result<Child> child = Start(argv, env, limits, filter);
  if (!child.ok()) return child.status().WithContext(who);
  Ended ended = Wait(*child, std::chrono::seconds(limits.timeout_seconds));
  if (ended.timed_out) {
    return Status::TooLarge(fmt::format("{}: timed out after {} s", who, limits.timeout_seconds));
  }
  const int ws = ended.wait_status;
  if (WIFSIGNALED(ws)) {
    if (WTERMSIG(ws) == SIGXCPU) {
      return Status::TooLarge(
          fmt::format("{}: used more than {} s of CPU", who, limits.timeout_seconds));
    }
    if (WTERMSIG(ws) == SIGXFSZ) {
      return Status::TooLarge(
          fmt::format("{}: wrote more than {} bytes", who, limits.max_output_bytes));
    }
    return Status::Corrupt(fmt::format("{}: crashed: {}", who, SignalName(WTERMSIG(ws))));
  }
  // The file-size limit stops a writer at one byte over the maximum, whichever process of the
  // thumbnailer's it hit (a shell then exits 128 + SIGXFSZ): the size tells.
  struct stat st;
  const bool wrote = lstat(output.path().c_str(), &st) == 0;
  if (wrote && S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > limits.max_output_bytes) {
    return Status::TooLarge(
        fmt::format("{}: wrote more than {} bytes", who, limits.max_output_bytes));
  }
  const int code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
  if (code == 127 && !sandboxed) {
    return Status::Internal(fmt::format("{}: could not be started", who));
  }
  if (code != 0) {
    const std::string line = LastLine(ended.stderr_text);
    return Status::Corrupt(fmt::format("{}: failed with exit status {}{}{}", who, code,
                                       line.empty() ? "" : ": ", line));
  }
  if (!wrote || !S_ISREG(st.st_mode) || st.st_size == 0) {
    return Status::Corrupt(fmt::format("{}: wrote no thumbnail", who));
  }
  return output;
}

}  // namespace tessera::xdg
