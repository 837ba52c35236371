// Running real programs as desktop thumbnailers: their output, their failures, the time limit,
// and what the bubblewrap sandbox lets them see and do.
#include "src/xdg/thumbnailer_run.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "src/core/test_fs.h"

namespace tessera::xdg {
namespace {

namespace fs = std::filesystem;
using ::tessera::testing::TempDir;
using ::tessera::testing::WriteFile;

ThumbnailerEntry Entry(const std::string& exec) {
  ThumbnailerEntry entry;
  entry.name = "test.thumbnailer";
  entry.exec = exec;
  entry.mime_types = {"text/plain"};
  return entry;
}

bool SandboxRequired() {
  const char* v = std::getenv("TESSERA_REQUIRE_SANDBOX");
  return v != nullptr && std::string(v) == "1";
}

class ThumbnailerRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    input_ = dir_ / "notes/my notes.txt";
    WriteFile(input_, "some text\n");
    WriteFile(dir_ / "notes/secret.txt", "not for thumbnailers\n");
    limits_.timeout_seconds = 5;
  }

  Result<ExternalOutput> Run(const std::string& exec, int size = 64) {
    return RunThumbnailer(Entry(exec), input_, "file://" + input_, "text/plain", size, limits_);
  }

  void RequireSandbox() {
    if (Sandbox().available) return;
    if (SandboxRequired()) FAIL() << "no sandbox: " << Sandbox().reason;
    GTEST_SKIP() << "no sandbox here: " << Sandbox().reason;
  }

  TempDir dir_;
  std::string input_;
  ExternalThumbnailerOptions limits_;
};

TEST_F(ThumbnailerRunTest, ARealProgramWritesTheOutputAtTheSizeAsked) {
  for (auto mode :
       {ExternalThumbnailerOptions::Sandbox::kOff, ExternalThumbnailerOptions::Sandbox::kAuto}) {
    limits_.sandbox = mode;
    auto out = Run("/usr/bin/convert -size %sx%s xc:red png:%o", 48);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_EQ(out->sandboxed(),
              mode != ExternalThumbnailerOptions::Sandbox::kOff && Sandbox().available);
    const std::string bytes = ::tessera::testing::ReadFile(out->path());
    ASSERT_GT(bytes.size(), 24u);
    EXPECT_EQ(bytes.substr(1, 3), "PNG");
    // IHDR width and height, big-endian, at offsets 16 and 20.
    EXPECT_EQ(static_cast<unsigned char>(bytes[19]), 48);
    EXPECT_EQ(static_cast<unsigned char>(bytes[23]), 48);
    // The output's private folder goes with the object.
    const std::string folder = fs::path(out->path()).parent_path();
    EXPECT_TRUE(fs::exists(folder));
    { ExternalOutput gone = std::move(*out); }
    EXPECT_FALSE(fs::exists(folder));
  }
}

TEST_F(ThumbnailerRunTest, FailuresSayWhatHappenedAndNameTheFileAndProgram) {
  limits_.sandbox = ExternalThumbnailerOptions::Sandbox::kOff;
  struct Case {
    std::string exec;
    StatusCode code;
    std::string says;
  };
  const Case cases[] = {
      {"/bin/sh -c 'echo no glyphs in this font >&2; exit 2' sh %o", StatusCode::kCorrupt,
       "failed with exit status 2: no glyphs in this font"},
      {"/bin/sh -c 'kill -SEGV $$' sh %o", StatusCode::kCorrupt, "crashed: SIGSEGV"},
      {"/bin/true %i %o", StatusCode::kCorrupt, "wrote no thumbnail"},
      {"/bin/sh -c 'mkdir \"$1\"' sh %o", StatusCode::kCorrupt, "wrote no thumbnail"},
      {"no-such-program-anywhere %o", StatusCode::kInternal, "not found"},
  };
  for (const Case& c : cases) {
    auto out = Run(c.exec);
    ASSERT_FALSE(out.ok()) << c.exec;
    EXPECT_EQ(out.status().code(), c.code) << out.status().ToString();
    EXPECT_NE(out.status().message().find(c.says), std::string::npos) << out.status().ToString();
    EXPECT_NE(out.status().message().find(input_), std::string::npos) << out.status().ToString();
    EXPECT_NE(out.status().message().find("test.thumbnailer"), std::string::npos);
  }
}

TEST_F(ThumbnailerRunTest, AHangIsKilledAtTheTimeout) {
  limits_.sandbox = ExternalThumbnailerOptions::Sandbox::kOff;
  limits_.timeout_seconds = 1;
  // A child of the thumbnailer holds the output open too: the whole group goes.
  auto out = Run("/bin/sh -c 'sleep 30 & sleep 30' sh %o");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(out.status().message().find("timed out after 1 s"), std::string::npos)
      << out.status().ToString();
}

TEST_F(ThumbnailerRunTest, TooMuchOutputIsRefused) {
  limits_.sandbox = ExternalThumbnailerOptions::Sandbox::kOff;
  limits_.max_output_bytes = 4096;
  auto out = Run("/bin/sh -c 'head -c 100000 /dev/zero > \"$1\"' sh %o");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kTooLarge) << out.status().ToString();
}

TEST_F(ThumbnailerRunTest, TheSandboxShowsOnlyTheInputReadOnlyAndNoNetwork) {
  RequireSandbox();
  limits_.sandbox = ExternalThumbnailerOptions::Sandbox::kRequired;
  // Each check exits with its own status when the sandbox lets it through.
  const std::string secret = dir_ / "notes/secret.txt";
  const std::string script =
      "test -r \"$1\" || exit 10; "
      "echo x >> \"$1\" 2>/dev/null && exit 11; "
      "test -e " +
      secret +
      " && exit 12; "
      "test -e " +
      dir_.path() +
      " && exit 13; "
      "test -e /home && exit 14; "
      "test $(grep -c : /proc/net/dev) -eq 1 || exit 15; "
      "test -d /usr/bin || exit 16; "
      "test $(ls /proc | grep -c \"^[0-9]\") -le 8 || exit 17; "
      "case \"$2\" in file:///tmp/tessera-input.txt) ;; *) exit 18;; esac; "
      // The seccomp filter: no new user namespace, no network socket even to try.
      "unshare -U true 2>/dev/null && exit 19; "
      "bash -c \"exec 3<>/dev/tcp/127.0.0.1/9\" 2>&1 | grep -q \"Address family not supported\" "
      "|| exit 20; "
      "/usr/bin/convert -size 8x8 xc:blue png:\"$3\"";
  auto out = Run("/bin/sh -c '" + script + "' sh %i %u %o");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->sandboxed());
  EXPECT_EQ(::tessera::testing::ReadFile(input_), "some text\n");
}

TEST_F(ThumbnailerRunTest, RequiredSandboxIsNeverSkipped) {
  if (Sandbox().available) {
    limits_.sandbox = ExternalThumbnailerOptions::Sandbox::kRequired;
    auto out = Run("/usr/bin/convert -size 8x8 xc:red png:%o");
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_TRUE(out->sandboxed());
  } else {
    limits_.sandbox = ExternalThumbnailerOptions::Sandbox::kRequired;
    auto out = Run("/usr/bin/convert -size 8x8 xc:red png:%o");
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), StatusCode::kInternal);
  }
}

}  // namespace
}  // namespace tessera::xdg
