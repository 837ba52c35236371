#include "src/library/watcher.h"

#include <fmt/format.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "src/core/unique_fd.h"

namespace tessera::library {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// IN_MODIFY is left out on purpose: a file being written is reported by its IN_CLOSE_WRITE.
constexpr uint32_t kFolderMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                                 IN_CREATE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
// Created files waiting for their close-for-write. Beyond this many (a mass copy), a creation is
// counted as a change at once rather than remembered.
constexpr size_t kMaxPendingCreates = 4096;
// A full watch table is warned about at most this often; the rest goes to the debug log.
constexpr auto kLimitWarningInterval = std::chrono::minutes(1);

bool IsHidden(std::string_view name) { return !name.empty() && name[0] == '.'; }

// The watch limit in force: fs.inotify.max_user_watches, or lower in a container's user
// namespace (user.max_inotify_watches).
std::string WatchLimit() {
  std::optional<long> limit;
  for (const char* path :
       {"/proc/sys/fs/inotify/max_user_watches", "/proc/sys/user/max_inotify_watches"}) {
    long value;
    if (std::ifstream(path) >> value) limit = limit ? std::min(*limit, value) : value;
  }
  return limit ? std::to_string(*limit) : "unknown";
}

}  // namespace

class LibraryWatcher::Impl {
 public:
  Impl(OnChange on_change, WatchOptions options, UniqueFd inotify, UniqueFd wake)
      : on_change_(std::move(on_change)),
        options_(options),
        inotify_(std::move(inotify)),
        wake_(std::move(wake)) {}
  ~Impl() { Stop(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void StartThread() {
    thread_ = std::thread([this] { Run(); });
  }
  // Wakes the thread, which returns (after the callback under way, if any), and joins it.
  void Stop() {
    if (!thread_.joinable()) return;
    const uint64_t one = 1;
    // An eventfd write only fails when the counter would overflow, i.e. a wake is pending.
    (void)!::write(wake_.get(), &one, sizeof(one));
    thread_.join();
  }
  Status Watch(const std::string& root);

 private:
  struct Folder {
    std::string path;
    size_t root;  // index into roots_
  };
  struct Create {
    size_t root;
    Clock::time_point at;
  };

  void Run();
  int PollTimeoutMs();
  void ReadEvents();
  void ReportIfDue();

  // The rest REQUIRES: mutex_ held.
  void HandleEvent(const inotify_event& event, Clock::time_point now);
  int AddTree(const std::string& top, size_t root, bool top_is_root,
              std::unordered_set<int>& visited);
  int Resync(size_t root);
  void Record(int wd, const std::string& path, size_t root);
  void Forget(int wd);
  void UnwatchTree(const std::string& path);
  void MarkChanged(size_t root, Clock::time_point at);
  void WarnLimit(const std::string& first_unwatched, int count);

  const OnChange on_change_;
  const WatchOptions options_;
  const UniqueFd inotify_;
  const UniqueFd wake_;  // an eventfd: readable once the destructor asks the thread to stop

  std::mutex mutex_;
  std::vector<std::string> roots_;           // as given to Watch; never shrinks
  std::unordered_map<int, Folder> folders_;  // by watch descriptor
  std::map<std::string, int> wd_by_path_;    // ordered, to find a moved folder's subtree
  std::map<std::pair<int, std::string>, Create> creates_;  // (wd, name) created, not closed
  std::vector<bool> changed_;                              // by root index, since the last report
  bool overflow_ = false;
  std::optional<Clock::time_point> first_change_, last_change_;
  std::optional<Clock::time_point> last_limit_warning_;

  std::thread thread_;
};

Status LibraryWatcher::Impl::Watch(const std::string& root) {
  std::lock_guard lock(mutex_);
  auto found = std::find(roots_.begin(), roots_.end(), root);
  const size_t index = found - roots_.begin();
  int err = 0;
  if (found != roots_.end()) {
    err = Resync(index);
  } else {
    std::unordered_set<int> visited;
    err = AddTree(root, index, /*top_is_root=*/true, visited);
    // The root is kept even when the watch limit stopped it: Watch again can complete it.
    if (err == 0 || err == ENOSPC) {
      roots_.push_back(root);
      changed_.push_back(false);
    }
  }
  if (err != 0 && err != ENOSPC) return Status::FromErrno(err, fmt::format("watch {}", root));
  return Status::Ok();
}

void LibraryWatcher::Impl::Run() {
  for (;;) {
    pollfd fds[2] = {{wake_.get(), POLLIN, 0}, {inotify_.get(), POLLIN, 0}};
    const int n = ::poll(fds, 2, PollTimeoutMs());
    if (n < 0) {
      if (errno == EINTR) continue;
      spdlog::error("watcher: poll failed, no more changes are reported: {}", std::strerror(errno));
      return;
    }
    if (fds[0].revents != 0) return;  // stop
    // One read per wake-up, so that a stream of events cannot starve the stop request.
    if (fds[1].revents & POLLIN) ReadEvents();
    ReportIfDue();
  }
}

// Until the earliest of: the quiet period after the last change, max_delay after the first, or
// a remembered creation turning into a change. -1 (forever) when nothing is pending.
int LibraryWatcher::Impl::PollTimeoutMs() {
  std::lock_guard lock(mutex_);
  std::optional<Clock::time_point> due;
  if (first_change_) {
    due = std::min(*last_change_ + options_.quiet, *first_change_ + options_.max_delay);
  }
  for (const auto& [key, create] : creates_) {
    const Clock::time_point at = create.at + options_.max_delay;
    if (!due || at < *due) due = at;
  }
  if (!due) return -1;
  // Rounded up, so the loop does not wake a fraction of a millisecond early and spin.
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*due - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(wait, 0, INT_MAX));
}

void LibraryWatcher::Impl::ReadEvents() {
  alignas(inotify_event) char buffer[64 * 1024];
  ssize_t n;
  do {
    n = ::read(inotify_.get(), buffer, sizeof(buffer));
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno != EAGAIN) spdlog::error("watcher: reading inotify events: {}", std::strerror(errno));
    return;
  }
  std::lock_guard lock(mutex_);
  const Clock::time_point now = Clock::now();
  for (ssize_t offset = 0; offset < n;) {
    const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
    HandleEvent(*event, now);
    offset += sizeof(inotify_event) + event->len;
  }
}

void LibraryWatcher::Impl::ReportIfDue() {
  std::vector<std::string> roots;
  bool overflow = false;
  {
    std::lock_guard lock(mutex_);
    const Clock::time_point now = Clock::now();
    for (auto it = creates_.begin(); it != creates_.end();) {
      if (now - it->second.at < options_.max_delay) {
        ++it;
        continue;
      }
      // No close-for-write came: a writer still busy or a file created without writing. Counted
      // as changed at its creation, so max_delay bounds it like any change.
      MarkChanged(it->second.root, it->second.at);
      it = creates_.erase(it);
    }
    if (!first_change_) return;
    if (now - *last_change_ < options_.quiet && now - *first_change_ < options_.max_delay) return;
    for (size_t i = 0; i < roots_.size(); ++i) {
      if (changed_[i]) roots.push_back(roots_[i]);
    }
    std::fill(changed_.begin(), changed_.end(), false);
    overflow = std::exchange(overflow_, false);
    first_change_.reset();
    last_change_.reset();
  }
  if (roots.empty()) return;
  // Outside the lock, so the callback may call Watch. No exception leaves the library.
  try {
    on_change_(roots, overflow);
  } catch (const std::exception& e) {
    spdlog::error("watcher: change callback failed: {}", e.what());
  } catch (...) {
    spdlog::error("watcher: change callback failed");
  }
}

void LibraryWatcher::Impl::HandleEvent(const inotify_event& event, Clock::time_point now) {
  if (event.mask & IN_Q_OVERFLOW) {
    // Events were lost, folder creations among them: report every root and re-walk them all.
    spdlog::warn(
        "watcher: the inotify queue overflowed (fs.inotify.max_queued_events); "
        "rescanning every library root");
    overflow_ = true;
    for (size_t i = 0; i < roots_.size(); ++i) {
      MarkChanged(i, now);
      Resync(i);
    }
    return;
  }
  auto it = folders_.find(event.wd);
  if (it == folders_.end()) return;  // a watch we already dropped (moved-away folder)
  const Folder folder = it->second;  // a copy: the handlers below change folders_
  const bool is_root = folder.path == roots_[folder.root];

  if (event.mask & IN_IGNORED) {  // the folder was deleted or its file system unmounted
    if (is_root) spdlog::warn("watcher: {} is gone and no longer watched", folder.path);
    Forget(event.wd);
    MarkChanged(folder.root, now);
    return;
  }
  if (event.mask & IN_MOVE_SELF) {
    // Other folders' moves were handled through their parent's IN_MOVED_FROM, which dropped
    // this watch. A root moved away is no longer the library: stop watching what followed it.
    if (is_root) {
      spdlog::warn("watcher: {} was moved away and is no longer watched", folder.path);
      UnwatchTree(folder.path);
      MarkChanged(folder.root, now);
    }
    return;
  }
  const std::string_view name = event.len > 0 ? std::string_view(event.name) : "";
  if (name.empty()) {  // the folder itself: deleted (IN_IGNORED follows) or attributes changed
    MarkChanged(folder.root, now);
    return;
  }
  if (IsHidden(name)) return;
  const std::string path = folder.path + "/" + std::string(name);

  if (event.mask & IN_ISDIR) {
    if (event.mask & (IN_CREATE | IN_MOVED_TO)) {
      // Files may have been written into it before its watch existed: the change below says so.
      std::unordered_set<int> visited;
      AddTree(path, folder.root, /*top_is_root=*/false, visited);
    } else if (event.mask & IN_MOVED_FROM) {
      // Moved out of the library or renamed within it (IN_MOVED_TO then watches it anew): either
      // way its watches must not report under the old paths.
      UnwatchTree(path);
    } else if ((event.mask & IN_ATTRIB) && !wd_by_path_.contains(path)) {
      // Perhaps made readable: watch it now.
      std::unordered_set<int> visited;
      AddTree(path, folder.root, /*top_is_root=*/false, visited);
    }
    // IN_DELETE: the folder's own IN_IGNORED drops its watch.
    MarkChanged(folder.root, now);
    return;
  }

  auto key = std::make_pair(event.wd, std::string(name));
  if (event.mask & IN_CREATE) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) return;  // already gone; its removal is an event too
    // A new regular file is being written: wait for its close. A hard link or a symlink gets no
    // close, so it counts at once.
    if (S_ISREG(st.st_mode) && st.st_nlink == 1 && creates_.size() < kMaxPendingCreates) {
      creates_.try_emplace(std::move(key), Create{folder.root, now});
      return;
    }
    MarkChanged(folder.root, now);
    return;
  }
  // A copy may set the mode of the file it is still writing: still wait for the close.
  if ((event.mask & IN_ATTRIB) && creates_.contains(key)) return;
  creates_.erase(key);
  MarkChanged(folder.root, now);
}

// Watches `top` and every folder below it that is not hidden, without following symlinks (but
// a root may itself be a symlink). Returns 0, or the errno of the watch on `top` itself.
// `visited` holds the watches made so far in this walk: a folder reached twice (a bind mount
// looping back) is not walked again.
int LibraryWatcher::Impl::AddTree(const std::string& top, size_t root, bool top_is_root,
                                  std::unordered_set<int>& visited) {
  int top_error = 0;
  int limit_hits = 0;
  std::string first_unwatched;
  std::vector<std::string> stack = {top};
  bool is_top = true;
  while (!stack.empty()) {
    std::string path = std::move(stack.back());
    stack.pop_back();
    const uint32_t mask = kFolderMask | (is_top && top_is_root ? 0 : IN_DONT_FOLLOW);
    const int wd = ::inotify_add_watch(inotify_.get(), path.c_str(), mask);
    const int err = wd < 0 ? errno : 0;
    if (is_top) top_error = err;
    is_top = false;
    if (err == ENOSPC) {
      if (limit_hits++ == 0) first_unwatched = path;
      continue;
    }
    if (err != 0) {
      // Gone again, replaced by a symlink, or unreadable: nothing there to watch.
      spdlog::debug("watcher: not watching {}: {}", path, std::strerror(err));
      continue;
    }
    if (!visited.insert(wd).second) continue;
    Record(wd, path, root);
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (IsHidden(name)) continue;
      std::error_code type_ec;
      if (it->symlink_status(type_ec).type() == fs::file_type::directory) {
        stack.push_back(path + "/" + name);
      }
    }
  }
  if (limit_hits > 0) WarnLimit(first_unwatched, limit_hits);
  return top_error;
}

// Brings the watches of `root` in line with its folders on disk: adds the missed ones, drops
// the ones whose folder is no longer there (or elsewhere).
int LibraryWatcher::Impl::Resync(size_t root) {
  std::unordered_set<int> visited;
  const int err = AddTree(roots_[root], root, /*top_is_root=*/true, visited);
  std::vector<int> stale;
  for (const auto& [wd, folder] : folders_) {
    if (folder.root == root && !visited.contains(wd)) stale.push_back(wd);
  }
  for (int wd : stale) {
    ::inotify_rm_watch(inotify_.get(), wd);
    Forget(wd);
  }
  return err;
}

void LibraryWatcher::Impl::Record(int wd, const std::string& path, size_t root) {
  // A folder already watched (moved, or walked again) keeps its descriptor: update its path.
  auto [it, inserted] = folders_.try_emplace(wd, Folder{path, root});
  if (!inserted && it->second.path != path) {
    Forget(wd);
    it = folders_.emplace(wd, Folder{path, root}).first;
  }
  it->second.root = root;
  wd_by_path_[path] = wd;
}

void LibraryWatcher::Impl::Forget(int wd) {
  auto it = folders_.find(wd);
  if (it == folders_.end()) return;
  auto by_path = wd_by_path_.find(it->second.path);
  if (by_path != wd_by_path_.end() && by_path->second == wd) wd_by_path_.erase(by_path);
  folders_.erase(it);
}

// Drops the watches of `path` and every folder below it.
void LibraryWatcher::Impl::UnwatchTree(const std::string& path) {
  std::vector<int> wds;
  if (auto it = wd_by_path_.find(path); it != wd_by_path_.end()) wds.push_back(it->second);
  // Not a plain prefix scan from `path`: "a-b" and "a.b" sort between "a" and "a/".
  const std::string prefix = path + "/";
  for (auto it = wd_by_path_.lower_bound(prefix);
       it != wd_by_path_.end() && it->first.starts_with(prefix); ++it) {
    wds.push_back(it->second);
  }
  for (int wd : wds) {
    ::inotify_rm_watch(inotify_.get(), wd);  // its IN_IGNORED then finds no folder
    Forget(wd);
  }
}

void LibraryWatcher::Impl::MarkChanged(size_t root, Clock::time_point at) {
  changed_[root] = true;
  first_change_ = first_change_ ? std::min(*first_change_, at) : at;
  last_change_ = last_change_ ? std::max(*last_change_, at) : at;
}

void LibraryWatcher::Impl::WarnLimit(const std::string& first_unwatched, int count) {
  const std::string more = count > 1 ? fmt::format(" (nor {} more folders)", count - 1) : "";
  const std::string message = fmt::format(
      "watcher: the inotify watch limit of {} folders is reached: {} is not watched{}; changes "
      "there are found by the periodic rescan only. Raise the limit with `sysctl "
      "fs.inotify.max_user_watches=N` (user.max_inotify_watches in a container)",
      WatchLimit(), first_unwatched, more);
  const Clock::time_point now = Clock::now();
  if (last_limit_warning_ && now - *last_limit_warning_ < kLimitWarningInterval) {
    spdlog::debug(message);
    return;
  }
  last_limit_warning_ = now;
  spdlog::warn(message);
}

Result<std::unique_ptr<LibraryWatcher>> LibraryWatcher::Start(OnChange on_change,
                                                              WatchOptions options) {
  assert(on_change);
  assert(options.quiet.count() >= 0 && options.max_delay >= options.quiet);
  UniqueFd inotify(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
  if (!inotify.valid()) {
    return Status::FromErrno(errno, "watcher: inotify_init1 (fs.inotify.max_user_instances?)");
  }
  UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake.valid()) return Status::FromErrno(errno, "watcher: eventfd");
  auto impl =
      std::make_unique<Impl>(std::move(on_change), options, std::move(inotify), std::move(wake));
  try {
    impl->StartThread();
  } catch (const std::system_error& e) {
    return Status::IOError(fmt::format("watcher: starting its thread: {}", e.what()));
  }
  return std::unique_ptr<LibraryWatcher>(new LibraryWatcher(std::move(impl)));
}

LibraryWatcher::LibraryWatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
// Joined here rather than by ~Impl, so that a callback under way may still call Watch.
LibraryWatcher::~LibraryWatcher() { impl_->Stop(); }

Status LibraryWatcher::Watch(const std::string& root) { return impl_->Watch(root); }

}  // namespace tessera::library
