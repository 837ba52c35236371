// The cache under stress and under other users: 16 processes writing the same thumbnail, any
// umask, and an original the user may not read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tessera/image.h"
#include "tessera/xdg.h"
#include "tests/support/process.h"

namespace tessera::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kPhoto = "photos/mate__Dune.jpg";

TEST(CacheSafetyTest, SixteenProcessesOnOneFileLeaveOneValidThumbnailAndNoTemp) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  TempDir cache_home, work;
  const std::string file = work / "same.jpg";
  CopyFile(CorpusPath(kPhoto), file);
  std::vector<pid_t> children;
  for (int i = 0; i < 16; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      ProcessResult r = RunProcess({TesseraBin(), "thumbnail", "--force", "--size", "all", file},
                                   {.env = {{"XDG_CACHE_HOME", cache_home.path()}}});
      _exit(r.exit_code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  const std::vector<std::string> files = FilesUnder(cache_home.path());
  EXPECT_EQ(files.size(), 4u) << "one thumbnail per size, no temp files";
  const xdg::Cache cache(xdg::CacheOptions{.base_dir = cache_home.path() + "/thumbnails"});
  Result<xdg::Original> original = xdg::StatOriginal(file);
  ASSERT_TRUE(original.ok());
  for (xdg::ThumbSize size : xdg::kAllSizes) {
    EXPECT_EQ(cache.Find(*original, size).state, xdg::LookupState::kValid);
  }
}

TEST(CacheSafetyTest, PersonalCacheModesHoldUnderAnyUmask) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  for (int mask : {0, 022, 077, 0777}) {
    TempDir cache_home, work;
    const std::string file = work / "a.jpg";
    CopyFile(CorpusPath(kPhoto), file);
    chmod(file.c_str(), 0644);
    ProcessResult r = RunProcess({TesseraBin(), "thumbnail", file},
                                 {.env = {{"XDG_CACHE_HOME", cache_home.path()}}, .umask = mask});
    ASSERT_EQ(r.exit_code, 0) << "umask " << mask << ": " << r.err;
    const std::string base = cache_home.path() + "/thumbnails";
    EXPECT_EQ(Stat(base).st_mode & 0777, 0700u) << "umask " << mask;
    EXPECT_EQ(Stat(base + "/large").st_mode & 0777, 0700u) << "umask " << mask;
    for (const std::string& f : FilesUnder(base)) {
      EXPECT_EQ(Stat(f).st_mode & 0777, 0600u) << f << " umask " << mask;
    }
  }
}

TEST(CacheSafetyTest, SharedRepositoryIsReadAndWrittenOnlyWhenAsked) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  TempDir cache_home, work;
  const std::string file = work / "b c.jpg";
  CopyFile(CorpusPath(kPhoto), file);
  chmod(file.c_str(), 0640);
  ProcessOptions env{.env = {{"XDG_CACHE_HOME", cache_home.path()}}};
  ASSERT_EQ(RunProcess({TesseraBin(), "thumbnail", file}, env).exit_code, 0);
  EXPECT_FALSE(Exists(work / ".sh_thumbnails")) << "written without being asked";

  ASSERT_EQ(RunProcess({TesseraBin(), "thumbnail", "--force", "--shared", file}, env).exit_code, 0);
  const std::string shared = work / (".sh_thumbnails/large/" + xdg::Md5Hex("./b%20c.jpg") + ".png");
  ASSERT_TRUE(Exists(shared));
  EXPECT_EQ(Stat(shared).st_mode & 0777, 0640u) << "the original's permissions";

  // With the personal cache emptied, lookup finds the shared one.
  TempDir empty_cache;
  ProcessResult lookup =
      RunProcess({TesseraBin(), "lookup", file}, {.env = {{"XDG_CACHE_HOME", empty_cache.path()}}});
  EXPECT_EQ(lookup.exit_code, 0) << lookup.out;
  EXPECT_THAT(lookup.out, HasSubstr(".sh_thumbnails/large/"));
}

// As an unprivileged user: an original they cannot read gets no thumbnail, no failure record,
// and a clear error. (Root reads everything, so the test drops to nobody with setpriv.)
TEST(CacheSafetyTest, UnreadableOriginalIsNeitherReadNorRecorded) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  if (access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "setpriv missing";
  TempDir cache_home, work;
  chmod(cache_home.path().c_str(), 0777);
  chmod(work.path().c_str(), 0755);
  const std::string file = work / "secret.jpg";
  CopyFile(CorpusPath(kPhoto), file);
  chmod(file.c_str(), 0600);  // owned by root
  ProcessResult r =
      RunProcess({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                  TesseraBin(), "thumbnail", file},
                 {.env = {{"XDG_CACHE_HOME", cache_home.path()}, {"HOME", "/nonexistent"}}});
  if (r.exit_code == 127 || r.err.find("setpriv") != std::string::npos) {
    GTEST_SKIP() << "cannot drop privileges here: " << r.err;
  }
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("secret.jpg"));
  EXPECT_THAT(r.err, HasSubstr("ermission"));
  EXPECT_TRUE(FilesUnder(cache_home.path()).empty()) << "no thumbnail and no failure record";
}

TEST(CacheSafetyTest, RelativeOrEmptyXdgCacheHomeFallsBackToHome) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  for (const char* value : {"unset", "", "relative/cache"}) {
    TempDir home, work;
    const std::string file = work / "a.jpg";
    CopyFile(CorpusPath(kPhoto), file);
    ProcessOptions options{.env = {{"HOME", home.path()}}, .cwd = work.path()};
    if (std::string(value) == "unset") {
      options.unset_env.push_back("XDG_CACHE_HOME");
    } else {
      options.env["XDG_CACHE_HOME"] = value;
    }
    ProcessResult r = RunProcess({TesseraBin(), "thumbnail", file}, options);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(Exists(home.path() + "/.cache/thumbnails/large/" +
                       xdg::Md5Hex(xdg::CanonicalUri(file)) + ".png"))
        << "XDG_CACHE_HOME='" << value << "'";
    EXPECT_FALSE(Exists(work / "relative")) << "a relative XDG_CACHE_HOME is ignored";
  }
}

}  // namespace
}  // namespace tessera::testing
