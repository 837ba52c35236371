#include "src/library/watcher.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "src/core/test_fs.h"
#include "src/core/unique_fd.h"

namespace tessera::library {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::TempDir;
using testing::WriteFile;
using Clock = std::chrono::steady_clock;

int64_t Ms(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// Every wait for a callback is bounded by this; no test relies on it being reached.
constexpr auto kDeadline = 10s;

struct Call {
  std::vector<std::string> roots;
  bool overflow = false;
  Clock::time_point at;
};

// Collects the watcher's callbacks. Declared before the watcher, so it outlives it.
class Recorder {
 public:
  LibraryWatcher::OnChange Callback() {
    return [this](const std::vector<std::string>& roots, bool overflow) {
      std::lock_guard lock(mutex_);
      calls_.push_back({roots, overflow, Clock::now()});
      changed_.notify_all();
    };
  }

  // Waits until more than `index` calls arrived; returns call `index`, or nothing on timeout.
  std::optional<Call> Wait(size_t index) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, kDeadline, [&] { return calls_.size() > index; })) {
      return std::nullopt;
    }
    return calls_[index];
  }

  std::vector<Call> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Call> calls_;
};

std::unique_ptr<LibraryWatcher> StartWatcher(Recorder& recorder,
                                             WatchOptions options = {100ms, 2000ms}) {
  auto watcher = LibraryWatcher::Start(recorder.Callback(), options);
  EXPECT_TRUE(watcher.ok()) << watcher.status().ToString();
  return watcher.ok() ? std::move(watcher).value() : nullptr;
}

using Roots = std::vector<std::string>;

// Absence of a report, without a timed wait: events are handled in the order they happened,
// so once a later change in `sentinel_root` is reported, an earlier change that was going to be
// reported has been, in that call or before it. Returns the calls from index `from` on, which
// hold only the sentinel's root when nothing else was reported.
std::vector<Call> CallsUpToSentinel(Recorder& recorder, size_t from,
                                    const std::string& sentinel_root) {
  WriteFile(sentinel_root + "/sentinel.jpg", "x");
  for (size_t i = from;; ++i) {
    std::optional<Call> call = recorder.Wait(i);
    if (!call) {
      ADD_FAILURE() << "no callback for the sentinel in " << sentinel_root;
      return {};
    }
    if (std::count(call->roots.begin(), call->roots.end(), sentinel_root) > 0) {
      std::vector<Call> calls = recorder.calls();
      return std::vector<Call>(calls.begin() + from, calls.begin() + i + 1);
    }
  }
}

TEST(WatcherTest, BurstOfWritesIsOneCallbackAfterTheQuietPeriod) {
  TempDir library, other;
  Recorder recorder;
  // A quiet period well above a burst's length, so the test is not at the mercy of scheduling.
  const WatchOptions options{250ms, 10s};
  auto watcher = StartWatcher(recorder, options);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());
  ASSERT_TRUE(watcher->Watch(other.path()).ok());

  Clock::time_point before_last_write;
  for (int i = 0; i < 20; ++i) {
    before_last_write = Clock::now();
    WriteFile(library / ("photo" + std::to_string(i) + ".jpg"), "jpeg bytes");
  }
  std::optional<Call> first = recorder.Wait(0);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->roots, Roots{library.path()});
  EXPECT_FALSE(first->overflow);
  EXPECT_GE(Ms(first->at - before_last_write), options.quiet.count());

  // Exactly one: a second report of the burst would come before, or with, the sentinel's.
  std::vector<Call> rest = CallsUpToSentinel(recorder, 1, other.path());
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].roots, Roots{other.path()});
}

TEST(WatcherTest, FileInSubfolderCreatedAfterWatchIsSeen) {
  TempDir library;
  Recorder recorder;
  auto watcher = StartWatcher(recorder);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());

  // Created in one go, faster than the watcher can add watches level by level.
  fs::create_directories(library / "2024/summer/beach");
  std::optional<Call> created = recorder.Wait(0);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->roots, Roots{library.path()});

  // Only a watch on the deepest folder can see this.
  WriteFile(library / "2024/summer/beach/wave.jpg", "jpeg bytes");
  std::optional<Call> written = recorder.Wait(1);
  ASSERT_TRUE(written);
  EXPECT_EQ(written->roots, Roots{library.path()});
}

TEST(WatcherTest, FilesWrittenIntoANewFolderBeforeItsWatchCountAsAChange) {
  TempDir library, staging;
  WriteFile(staging / "album/a.jpg", "jpeg bytes");
  WriteFile(staging / "album/inner/b.jpg", "jpeg bytes");
  Recorder recorder;
  auto watcher = StartWatcher(recorder);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());

  // A whole tree moved in: one rename, no event for the files inside.
  fs::rename(staging / "album", library / "album");
  ASSERT_TRUE(recorder.Wait(0));
  // And its subfolders are watched from then on.
  WriteFile(library / "album/inner/c.jpg", "jpeg bytes");
  std::optional<Call> written = recorder.Wait(1);
  ASSERT_TRUE(written);
  EXPECT_EQ(written->roots, Roots{library.path()});
}

TEST(WatcherTest, FileMovedInFromOutsideIsSeen) {
  TempDir library, outside;
  WriteFile(outside / "scan.jpg", "jpeg bytes");
  fs::create_directories(library / "inbox");
  Recorder recorder;
  auto watcher = StartWatcher(recorder);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());

  fs::rename(outside / "scan.jpg", library / "inbox/scan.jpg");
  std::optional<Call> call = recorder.Wait(0);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->roots, Roots{library.path()});
}

TEST(WatcherTest, DeletionIsSeen) {
  TempDir library;
  WriteFile(library / "a/old.jpg", "jpeg bytes");
  WriteFile(library / "b/c/older.jpg", "jpeg bytes");
  Recorder recorder;
  auto watcher = StartWatcher(recorder);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());

  fs::remove(library / "a/old.jpg");
  std::optional<Call> file = recorder.Wait(0);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->roots, Roots{library.path()});

  fs::remove_all(library / "b");
  std::optional<Call> tree = recorder.Wait(1);
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->roots, Roots{library.path()});
}

TEST(WatcherTest, RenameWithinTheLibraryIsSeen) {
  TempDir library;
  WriteFile(library / "a/photo.jpg", "jpeg bytes");
  WriteFile(library / "trips/2023/x.jpg", "jpeg bytes");
  Recorder recorder;
  auto watcher = StartWatcher(recorder);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());

  fs::rename(library / "a/photo.jpg", library / "a/renamed.jpg");
  ASSERT_TRUE(recorder.Wait(0));

  // A folder renamed: reported, and still watched below its new name.
  fs::rename(library / "trips", library / "travel");
  ASSERT_TRUE(recorder.Wait(1));
  WriteFile(library / "travel/2023/y.jpg", "jpeg bytes");
  std::optional<Call> call = recorder.Wait(2);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->roots, Roots{library.path()});
}

TEST(WatcherTest, FolderMovedOutOfTheLibraryIsNoLongerReported) {
  TempDir library, outside, other;
  WriteFile(library / "album/sub/a.jpg", "jpeg bytes");
  Recorder recorder;
  auto watcher = StartWatcher(recorder);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());
  ASSERT_TRUE(watcher->Watch(other.path()).ok());

  fs::rename(library / "album", outside / "album");
  std::optional<Call> moved = recorder.Wait(0);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->roots, Roots{library.path()});

  WriteFile(outside / "album/sub/b.jpg", "jpeg bytes");
  std::vector<Call> rest = CallsUpToSentinel(recorder, 1, other.path());
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].roots, Roots{other.path()});
}

TEST(WatcherTest, HiddenFoldersAndFilesAreIgnored) {
  TempDir library, other;
  fs::create_directories(library / ".thumbnails/large");
  fs::create_directories(library / "album");
  Recorder recorder;
  auto watcher = StartWatcher(recorder);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());
  ASSERT_TRUE(watcher->Watch(other.path()).ok());

  WriteFile(library / ".thumbnails/a.png", "png");
  WriteFile(library / ".thumbnails/large/b.png", "png");
  WriteFile(library / "album/.partial.jpg", "half");
  fs::create_directories(library / ".cache/new");  // a hidden folder created after Watch
  WriteFile(library / ".cache/new/c.bin", "cache");
  std::vector<Call> calls = CallsUpToSentinel(recorder, 0, other.path());
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].roots, Roots{other.path()});

  // The rsync pattern: a hidden temporary renamed into place is a change.
  WriteFile(library / "album/.b.jpg.tmp", "jpeg bytes");
  fs::rename(library / "album/.b.jpg.tmp", library / "album/b.jpg");
  std::optional<Call> renamed = recorder.Wait(1);
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->roots, Roots{library.path()});
}

TEST(WatcherTest, SymlinkedFoldersAreNotFollowed) {
  TempDir library, elsewhere, other;
  fs::create_directories(elsewhere / "photos");
  fs::create_directory_symlink(elsewhere / "photos", library / "link");
  Recorder recorder;
  auto watcher = StartWatcher(recorder);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());
  ASSERT_TRUE(watcher->Watch(other.path()).ok());

  WriteFile(elsewhere / "photos/a.jpg", "jpeg bytes");
  std::vector<Call> calls = CallsUpToSentinel(recorder, 0, other.path());
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].roots, Roots{other.path()});
}

TEST(WatcherTest, TwoRootsReportTheRightRoot) {
  TempDir a, b;
  Recorder recorder;
  auto watcher = StartWatcher(recorder);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(a.path()).ok());
  ASSERT_TRUE(watcher->Watch(b.path()).ok());

  WriteFile(a / "sub/one.jpg", "jpeg bytes");
  std::optional<Call> first = recorder.Wait(0);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->roots, Roots{a.path()});

  WriteFile(b / "two.jpg", "jpeg bytes");
  std::optional<Call> second = recorder.Wait(1);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->roots, Roots{b.path()});

  // Both at once: one call naming both, or (had the test been descheduled) one call each.
  WriteFile(a / "three.jpg", "jpeg bytes");
  WriteFile(b / "four.jpg", "jpeg bytes");
  std::vector<std::string> seen;
  for (size_t i = 2; seen.size() < 2; ++i) {
    std::optional<Call> call = recorder.Wait(i);
    ASSERT_TRUE(call);
    seen.insert(seen.end(), call->roots.begin(), call->roots.end());
  }
  std::sort(seen.begin(), seen.end());
  Roots both = {a.path(), b.path()};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(seen, both);
}

TEST(WatcherTest, WatchFailsForAMissingRootOrAFile) {
  TempDir dir;
  WriteFile(dir / "file.jpg", "jpeg bytes");
  Recorder recorder;
  auto watcher = StartWatcher(recorder);
  ASSERT_TRUE(watcher);
  Status missing = watcher->Watch(dir / "missing");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound) << missing.ToString();
  EXPECT_NE(missing.message().find(dir / "missing"), std::string::npos);
  EXPECT_FALSE(watcher->Watch(dir / "file.jpg").ok());
  // Watching a root twice is harmless.
  EXPECT_TRUE(watcher->Watch(dir.path()).ok());
  EXPECT_TRUE(watcher->Watch(dir.path()).ok());
}

TEST(WatcherTest, NewFileIsReportedOnClose) {
  TempDir library;
  Recorder recorder;
  const WatchOptions options{50ms, 10s};
  auto watcher = StartWatcher(recorder, options);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());

  // Still being written: not a change until closed (or max_delay, 10 s here, passes).
  const std::string path = library / "copy.jpg";
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  ASSERT_TRUE(fd.valid());
  ASSERT_EQ(::write(fd.get(), "half", 4), 4);
  ASSERT_EQ(::fchmod(fd.get(), 0600), 0);  // as cp does; still not a change
  // A slow writer, so that a report of the creation would come before the close. The assertion
  // below does not depend on this sleep's length.
  std::this_thread::sleep_for(300ms);
  ASSERT_EQ(::write(fd.get(), "done", 4), 4);
  const Clock::time_point before_close = Clock::now();
  fd.reset();
  std::optional<Call> call = recorder.Wait(0);
  ASSERT_TRUE(call);
  // Before the close there was nothing to report (the create and fchmod were held back).
  EXPECT_GE(Ms(call->at - before_close), options.quiet.count());
  EXPECT_EQ(recorder.calls().size(), 1u);
}

TEST(WatcherTest, FileCreatedButNeverClosedIsReportedAfterMaxDelay) {
  TempDir library;
  Recorder recorder;
  const WatchOptions options{50ms, 400ms};
  auto watcher = StartWatcher(recorder, options);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());

  const Clock::time_point before_create = Clock::now();
  const std::string path = library / "slow.mov";
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  ASSERT_TRUE(fd.valid());
  std::optional<Call> call = recorder.Wait(0);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->roots, Roots{library.path()});
  EXPECT_GE(Ms(call->at - before_create), options.max_delay.count());

  fd.reset();  // the close is a change of its own
  ASSERT_TRUE(recorder.Wait(1));
}

TEST(WatcherTest, HardLinkAndSymlinkAreReportedWithoutWaitingForAClose) {
  TempDir library, outside;
  WriteFile(outside / "a.jpg", "jpeg bytes");
  Recorder recorder;
  const WatchOptions options{50ms, 60s};  // a held-back creation would time the test out
  auto watcher = StartWatcher(recorder, options);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());

  ASSERT_EQ(::link((outside / "a.jpg").c_str(), (library / "hard.jpg").c_str()), 0);
  ASSERT_TRUE(recorder.Wait(0));
  fs::create_symlink(outside / "a.jpg", library / "soft.jpg");
  ASSERT_TRUE(recorder.Wait(1));
}

TEST(WatcherTest, MaxDelayBoundsAContinuousStreamOfChanges) {
  TempDir library;
  Recorder recorder;
  const WatchOptions options{200ms, 600ms};
  auto watcher = StartWatcher(recorder, options);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(watcher->Watch(library.path()).ok());

  // Changes every 20 ms never leave a quiet period; max_delay still gets one report out.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      WriteFile(library / ("f" + std::to_string(i % 50) + ".jpg"), "jpeg bytes");
      std::this_thread::sleep_for(20ms);
    }
  });
  std::optional<Call> call = recorder.Wait(0);
  stop = true;
  writer.join();
  ASSERT_TRUE(call);
  EXPECT_EQ(call->roots, Roots{library.path()});
}

TEST(WatcherTest, QueueOverflowReportsEveryRootAndWatchesMissedFolders) {
  TempDir a, b;
  WriteFile(a / "x.jpg", "x");
  WriteFile(a / "y.jpg", "y");
  // The first callback holds the watcher's thread until released, so the kernel queue fills.
  std::mutex mutex;
  std::condition_variable cv;
  bool released = false;
  Recorder recorder;
  LibraryWatcher::OnChange record = recorder.Callback();
  auto started = LibraryWatcher::Start(
      [&](const std::vector<std::string>& roots, bool overflow) {
        record(roots, overflow);
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return released; });
      },
      {50ms, 2000ms});
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  std::unique_ptr<LibraryWatcher> watcher = std::move(started).value();
  auto release = [&] {
    std::lock_guard lock(mutex);
    released = true;
    cv.notify_all();
  };
  struct Guard {
    std::function<void()> f;
    ~Guard() { f(); }
  } guard{release};  // a failed assertion must not leave the thread blocked
  ASSERT_TRUE(watcher->Watch(a.path()).ok());
  ASSERT_TRUE(watcher->Watch(b.path()).ok());

  WriteFile(a / "first.jpg", "jpeg bytes");
  ASSERT_TRUE(recorder.Wait(0));  // the thread is now held in the callback

  // More events than fs.inotify.max_queued_events (16384 by default); alternating names, since
  // the kernel merges an event identical to the one before it.
  int max_queued = 16384;
  std::ifstream("/proc/sys/fs/inotify/max_queued_events") >> max_queued;
  for (int i = 0; i <= max_queued; ++i) {
    ASSERT_EQ(::chmod((a / (i % 2 ? "x.jpg" : "y.jpg")).c_str(), i % 4 < 2 ? 0644 : 0600), 0);
  }
  fs::create_directories(a / "missed");  // its event is lost
  release();

  std::optional<Call> overflow;
  for (size_t i = 1; !overflow || !overflow->overflow; ++i) {
    overflow = recorder.Wait(i);
    ASSERT_TRUE(overflow) << "no overflow reported";
  }
  Roots both = {a.path(), b.path()};
  EXPECT_EQ(overflow->roots, both);

  // The folder whose creation was lost is watched after all.
  const size_t next = recorder.calls().size();
  WriteFile(a / "missed/new.jpg", "jpeg bytes");
  std::optional<Call> call = recorder.Wait(next);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->roots, Roots{a.path()});
}

TEST(WatcherTest, DestroyingTheWatcherWhileEventsArriveDoesNotHang) {
  TempDir library;
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      const std::string folder = library / ("d" + std::to_string(i % 7));
      WriteFile(folder + "/sub/f" + std::to_string(i % 13) + ".jpg", "jpeg bytes");
      if (i % 5 == 0) fs::remove_all(folder);
    }
  });
  for (int round = 0; round < 10; ++round) {
    Recorder recorder;
    std::atomic<LibraryWatcher*> self{nullptr};
    auto started = LibraryWatcher::Start(
        [&, record = recorder.Callback()](const std::vector<std::string>& roots, bool overflow) {
          record(roots, overflow);
          // Watch from inside the callback is allowed.
          if (LibraryWatcher* w = self.load()) EXPECT_TRUE(w->Watch(library.path()).ok());
        },
        {1ms, 5ms});
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    std::unique_ptr<LibraryWatcher> watcher = std::move(started).value();
    self = watcher.get();
    ASSERT_TRUE(watcher->Watch(library.path()).ok());
    if (round % 2 == 0) ASSERT_TRUE(recorder.Wait(0));  // destroyed mid-stream, not at once
    watcher.reset();
  }
  stop = true;
  writer.join();
}

// Enters a new user namespace whose inotify watch limit (user.max_inotify_watches, per
// namespace) is 4. Only async-signal-safe calls: it also runs in a child forked from this
// threaded process.
bool EnterNamespaceWithWatchLimitOf4() {
  auto write_file = [](const char* path, const char* text, size_t size) {
    UniqueFd fd(::open(path, O_WRONLY | O_CLOEXEC));
    return fd.valid() && ::write(fd.get(), text, size) == static_cast<ssize_t>(size);
  };
  char uid_map[32];
  const int size = std::snprintf(uid_map, sizeof(uid_map), "0 %u 1", ::getuid());
  return ::unshare(CLONE_NEWUSER) == 0 && write_file("/proc/self/uid_map", uid_map, size) &&
         write_file("/proc/sys/user/max_inotify_watches", "4", 1);
}

// In a child process: watches `root`, which has more folders than the limit allows. Returns 0
// on success, otherwise the number of the step that failed.
int WatchBeyondTheLimit(const std::string& root) {
  if (!EnterNamespaceWithWatchLimitOf4()) return 2;
  auto log = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(32);
  spdlog::default_logger()->sinks().push_back(log);
  Recorder recorder;
  auto watcher = LibraryWatcher::Start(recorder.Callback(), {50ms, 2000ms});
  if (!watcher.ok()) return 3;
  if (!(*watcher)->Watch(root).ok()) return 4;
  bool warned = false;
  for (const std::string& line : log->last_formatted()) {
    warned |= line.find("limit of 4 folders") != std::string::npos &&
              line.find("max_user_watches") != std::string::npos &&
              line.find(root + "/album") != std::string::npos;
  }
  if (!warned) return 5;
  WriteFile(root + "/top.jpg", "jpeg bytes");  // the root itself is watched
  return recorder.Wait(0) ? 0 : 6;
}

TEST(WatcherTest, WatchLimitIsAWarningNotAnError) {
  TempDir library;
  for (int i = 0; i < 8; ++i) fs::create_directories(library / ("album" + std::to_string(i)));
  // Probe in a throwaway child: user namespaces may be disabled here.
  const pid_t probe = ::fork();
  ASSERT_GE(probe, 0);
  if (probe == 0) ::_exit(EnterNamespaceWithWatchLimitOf4() ? 0 : 1);
  int probe_status = 0;
  ASSERT_EQ(::waitpid(probe, &probe_status, 0), probe);
  if (!WIFEXITED(probe_status) || WEXITSTATUS(probe_status) != 0) {
    GTEST_SKIP() << "cannot lower the inotify watch limit in a user namespace here";
  }

  // "threadsafe": the child is a fresh, single-threaded run of this test, as unshare requires.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        const int code = WatchBeyondTheLimit(library.path());
        fs::remove_all(library.path());  // _exit skips the child's TempDir destructor
        ::_exit(code);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace tessera::library
