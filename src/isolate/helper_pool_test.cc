// The real tessera-helper under the pool: a helper that crashes, hangs, spins or runs out of
// memory costs one file and the next file works; helpers are reused; the sandbox refuses
// programs, processes, sockets, file writes and signals to others.
#include "src/isolate/helper_pool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "src/core/test_fs.h"

namespace tessera::isolate {
namespace {

using testing::TempDir;

constexpr char kSvg[] =
    "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='100'>"
    "<rect width='200' height='100' fill='#ff0000'/></svg>";

class HelperPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::string> helper = FindHelper("");
    ASSERT_TRUE(helper.ok()) << helper.status().ToString();
    helper_ = *helper;
    svg_ = dir_.path() + "/red.svg";
    testing::WriteFile(svg_, kSvg);
  }

  HelperRequest Request(const std::string& fault = "") const {
    HelperRequest r;
    r.path = svg_;
    r.mime_type = "image/svg+xml";
    r.family = "svg";
    r.targets = {Target::Square(64)};
    r.max_pixels = 300'000'000;
    r.max_file_bytes = 1 << 20;
    r.cpu_seconds = 10;
    r.fault = fault;
    return r;
  }

  // The next, healthy request works after whatever happened before.
  void ExpectHealthy(HelperPool& pool) {
    Result<ThumbnailSet> set = pool.Run(Request());
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    ASSERT_EQ(set->images.size(), 1u);
    EXPECT_EQ(set->images[0].width, 64);
    EXPECT_EQ(set->images[0].height, 32);
    EXPECT_EQ(set->images[0].Pixel(10, 10)[0], 255);  // red
  }

  TempDir dir_;
  std::string helper_;
  std::string svg_;
};

TEST_F(HelperPoolTest, HelperIsReusedAcrossFiles) {
  HelperPool pool(helper_, HelperLimits{}, false);
  for (int i = 0; i < 5; ++i) ExpectHealthy(pool);
  EXPECT_EQ(pool.started(), 1);
}

TEST_F(HelperPoolTest, WornOutHelperIsReplaced) {
  HelperLimits limits;
  limits.max_jobs = 2;
  HelperPool pool(helper_, limits, false);
  for (int i = 0; i < 5; ++i) ExpectHealthy(pool);
  EXPECT_EQ(pool.started(), 3);
}

TEST_F(HelperPoolTest, CrashIsTheFilesFailureAndTheNextFileWorks) {
  HelperPool pool(helper_, HelperLimits{}, false);
  ExpectHealthy(pool);
  Result<ThumbnailSet> crashed = pool.Run(Request("crash"));
  ASSERT_FALSE(crashed.ok());
  EXPECT_EQ(crashed.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(crashed.status().message(), svg_ + ": decoder crashed: SIGSEGV");
  EXPECT_TRUE(crashed.status().IsPermanentFileFailure());
  ExpectHealthy(pool);
  EXPECT_EQ(pool.started(), 2);
}

TEST_F(HelperPoolTest, AbortIsReportedAsSigabrt) {
  HelperPool pool(helper_, HelperLimits{}, false);
  Result<ThumbnailSet> r = pool.Run(Request("abort"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), svg_ + ": decoder crashed: SIGABRT");
  ExpectHealthy(pool);
}

TEST_F(HelperPoolTest, HangIsKilledAtTheWallClockLimit) {
  HelperLimits limits;
  limits.timeout = std::chrono::milliseconds(1000);
  HelperPool pool(helper_, limits, false);
  const auto start = std::chrono::steady_clock::now();
  Result<ThumbnailSet> r = pool.Run(Request("hang"));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTooLarge);
  EXPECT_EQ(r.status().message(), svg_ + ": timed out after 1 s");
  EXPECT_LT(took, std::chrono::seconds(10));
  ExpectHealthy(pool);
}

TEST_F(HelperPoolTest, SpinningHelperHitsItsCpuLimit) {
  HelperPool pool(helper_, HelperLimits{}, false);
  HelperRequest spin = Request("spin");
  spin.cpu_seconds = 1;
  Result<ThumbnailSet> r = pool.Run(spin);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTooLarge);
  EXPECT_EQ(r.status().message(), svg_ + ": used more than 1 s of CPU");
  ExpectHealthy(pool);
}

TEST_F(HelperPoolTest, RunningOutOfMemoryIsAnErrorNotACrash) {
  HelperLimits limits;
  limits.address_space_bytes = 1ull << 30;
  HelperPool pool(helper_, limits, false);
  Result<ThumbnailSet> r = pool.Run(Request("oom"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(r.status().message().find("ran out of memory"), std::string::npos)
      << r.status().ToString();
  ExpectHealthy(pool);
  EXPECT_EQ(pool.started(), 1) << "the helper survives a refused allocation";
}

TEST_F(HelperPoolTest, HelperKilledWhileIdleIsReplacedWithoutBlamingTheNextFile) {
  HelperPool pool(helper_, HelperLimits{}, false);
  ExpectHealthy(pool);
  // Find the helper (our only child) and kill it behind the pool's back.
  ASSERT_EQ(::system("pkill -KILL -P $PPID -x tessera-helper"), 0) << "no helper to kill";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the kernel finish it
  ExpectHealthy(pool);
  EXPECT_EQ(pool.started(), 2);
}

// What the sandbox answers, from inside the helper.
std::string Probe(HelperPool& pool, const HelperRequest& r) {
  Result<ThumbnailSet> out = pool.Run(r);
  EXPECT_FALSE(out.ok());
  return out.status().message();
}

TEST_F(HelperPoolTest, SandboxRefusesProgramsProcessesSocketsWritesAndSignals) {
  HelperPool pool(helper_, HelperLimits{}, false);
  EXPECT_EQ(Probe(pool, Request("try-exec")), "try-exec: Operation not permitted");
  EXPECT_EQ(Probe(pool, Request("try-fork")), "try-fork: Operation not permitted");
  EXPECT_EQ(Probe(pool, Request("try-socket")), "try-socket: Operation not permitted");
  const std::string target = dir_.path() + "/written-by-helper";
  EXPECT_EQ(Probe(pool, Request("try-write:" + target)),
            "try-write:" + target + ": Permission denied");
  EXPECT_FALSE(testing::Exists(target));
  const std::string me = std::to_string(::getpid());
  EXPECT_EQ(Probe(pool, Request("try-kill:" + me)), "try-kill:" + me + ": Operation not permitted");
  // All of that in one helper, which is still fine.
  ExpectHealthy(pool);
  EXPECT_EQ(pool.started(), 1);
}

TEST(FindHelperTest, ExplicitPathMustBeExecutable) {
  EXPECT_EQ(FindHelper("/nonexistent/tessera-helper").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(FindHelper("/etc/passwd").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tessera::isolate
