// The untrusted decoders run in tessera-helper processes: the command itself never maps them,
// and a helper that crashes or hangs costs one file (a failure record naming the reason) while
// the rest of the batch is thumbnailed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tessera/image.h"
#include "tessera/xdg.h"
#include "tests/support/process.h"

namespace tessera::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSvg[] =
    "<svg xmlns='http://www.w3.org/2000/svg' width='300' height='200'>"
    "<rect width='300' height='200' fill='#2060c0'/></svg>";

// The failure record's X-Tessera::Error for `path`, or "" without one.
std::string FailureReason(const xdg::Cache& cache, const std::string& path) {
  Result<xdg::Original> original = xdg::StatOriginal(path);
  if (!original.ok() || !cache.HasFailure(*original)) return "";
  for (const std::string& f : FilesUnder(cache.base_dir() + "/fail")) {
    Result<PngText> text = ReadPngText(f);
    if (!text.ok()) continue;
    std::string uri, error;
    for (const auto& [k, v] : *text) {
      if (k == "Thumb::URI") uri = v;
      if (k == "X-Tessera::Error") error = v;
    }
    if (uri == original->uri) return error;
  }
  return "";
}

nlohmann::json FileEntry(const nlohmann::json& out, const std::string& path) {
  for (const auto& f : out["files"]) {
    if (f["path"] == path) return f;
  }
  return {};
}

class IsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a.svg", "boom.svg", "c.svg", "stuck.svg"}) {
      WriteFile(work_ / name, kSvg);
      files_.push_back(work_ / name);
    }
  }
  ProcessResult Run(const std::string& fault, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {TesseraBin(), "thumbnail", "--json", "-j", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), files_.begin(), files_.end());
    return RunProcess(
        args, {.env = {{"XDG_CACHE_HOME", cache_home_.path()}, {"TESSERA_HELPER_FAULT", fault}},
               .timeout_seconds = 120});
  }
  xdg::Cache Cache() const {
    return xdg::Cache(xdg::CacheOptions{.base_dir = cache_home_.path() + "/thumbnails"});
  }

  TempDir cache_home_, work_;
  std::vector<std::string> files_;
};

TEST_F(IsolationTest, CrashingHelperFailsOneFileAndTheBatchGoesOn) {
  ProcessResult r = Run("crash:boom");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const nlohmann::json out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["summary"]["generated"], 3);
  EXPECT_EQ(out["summary"]["failed"], 1);
  const std::string boom = work_ / "boom.svg";
  EXPECT_EQ(FileEntry(out, boom)["error"], boom + ": decoder crashed: SIGSEGV");
  EXPECT_EQ(FailureReason(Cache(), boom), boom + ": decoder crashed: SIGSEGV");
  EXPECT_EQ(FailureReason(Cache(), work_ / "a.svg"), "");
}

TEST_F(IsolationTest, HangingHelperIsKilledAtTheTimeoutAndRecorded) {
  ProcessResult r = Run("hang:stuck", {"--timeout", "2"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const nlohmann::json out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["summary"]["generated"], 3);
  const std::string stuck = work_ / "stuck.svg";
  EXPECT_EQ(FileEntry(out, stuck)["error"], stuck + ": timed out after 2 s");
  EXPECT_EQ(FailureReason(Cache(), stuck), stuck + ": timed out after 2 s");
  EXPECT_LT(out["summary"]["seconds"].get<double>(), 60.0) << "the hang did not stall the batch";
}

TEST_F(IsolationTest, NothingIsLeftRunningOrWrittenAfterACrash) {
  ProcessResult r = Run("crash");
  EXPECT_EQ(r.exit_code, 1);
  for (const std::string& f : FilesUnder(cache_home_.path())) {
    EXPECT_THAT(f, HasSubstr("/fail/")) << "only failure records: " << f;
  }
}

TEST(IsolationLinkTest, TheCommandDoesNotLinkTheUntrustedDecoders) {
  ProcessResult r = RunProcess({"ldd", TesseraBin()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // (libseccomp is no decoder: the command links it to build the filter bwrap loads for
  // external thumbnailers.)
  for (const char* lib : {"libavcodec", "libavformat", "libraw", "Magick"}) {
    EXPECT_THAT(r.out, Not(HasSubstr(lib))) << "tessera links " << lib;
  }
  ProcessResult helper = RunProcess({"ldd", std::string(TESSERA_BUILD_DIR) + "/tessera-helper"});
  ASSERT_EQ(helper.exit_code, 0) << helper.err;
  for (const char* lib : {"libavcodec", "libraw", "Magick++", "libseccomp"}) {
    EXPECT_THAT(helper.out, HasSubstr(lib)) << "the helper lacks " << lib;
  }
}

}  // namespace
}  // namespace tessera::testing
