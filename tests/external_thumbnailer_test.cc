// Other programs' .thumbnailer entries through the real command: a font, which tessera does not
// decode, is thumbnailed by GNOME's installed font thumbnailer (gnome-font-viewer's
// gnome-thumbnail-font, in bubblewrap), and GLib accepts the result; the user's own entries come
// before the system's; --no-external leaves the type unsupported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "src/core/test_fs.h"
#include "tests/support/process.h"

namespace tessera::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr char kFont[] = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr char kFontEntry[] = "/usr/share/thumbnailers/gnome-font-viewer.thumbnailer";

bool Required() {
  const char* v = std::getenv("TESSERA_REQUIRE_CORPUS");  // CI installs the programs too
  return v != nullptr && std::string(v) == "1";
}

class ExternalThumbnailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* needed : {kFont, kFontEntry}) {
      if (fs::exists(needed)) continue;
      if (Required()) FAIL() << needed << " is missing (scripts/install-deps.sh --test)";
      GTEST_SKIP() << needed << " is missing";
    }
    font_ = work_ / "Déjà Vu Sans.ttf";
    CopyFile(kFont, font_);
  }

  ProcessOptions Env() {
    return {.env = {{"XDG_CACHE_HOME", cache_home_.path()},
                    {"XDG_DATA_HOME", data_home_.path()},
                    {"XDG_DATA_DIRS", "/usr/local/share:/usr/share"}}};
  }

  nlohmann::json Thumbnail(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {TesseraBin(), "thumbnail", "--json", "--size", "all"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(font_);
    last_ = RunProcess(argv, Env());
    nlohmann::json report = nlohmann::json::parse(last_.out, nullptr, false);
    return report.is_discarded() ? nlohmann::json() : report["files"][0];
  }

  TempDir cache_home_, data_home_, work_;
  std::string font_;
  ProcessResult last_;
};

TEST_F(ExternalThumbnailerTest, AFontIsThumbnailedByGnomesFontThumbnailerAndGioAcceptsIt) {
  nlohmann::json file = Thumbnail();
  ASSERT_EQ(last_.exit_code, 0) << last_.err << last_.out;
  EXPECT_EQ(file["outcome"], "generated") << file.dump();
  EXPECT_EQ(file["thumbnailer"], "gnome-font-viewer.thumbnailer");
  EXPECT_EQ(file["mime_type"], "font/ttf");
  EXPECT_EQ(file["written"].size(), 4u);
  ProcessResult info = RunProcess({"gio", "info", "-a", "thumbnail::*", font_}, Env());
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_THAT(info.out, HasSubstr("thumbnail::is-valid: TRUE")) << info.out;
  // Running it again finds them valid and runs nothing.
  EXPECT_EQ(Thumbnail()["outcome"], "up to date");
}

TEST_F(ExternalThumbnailerTest, TheUsersEntryHidesTheSystemsAndItsFailureIsRecorded) {
  // Same file name as the system's entry: the user's (in XDG_DATA_HOME) is the one used.
  WriteFile(data_home_ / "thumbnailers/gnome-font-viewer.thumbnailer",
            "[Thumbnailer Entry]\nExec=/bin/sh -c 'echo font renderer broke >&2; exit 3' sh %o\n"
            "MimeType=font/ttf;\n");
  nlohmann::json file = Thumbnail();
  EXPECT_EQ(last_.exit_code, 1);
  EXPECT_EQ(file["outcome"], "failed") << file.dump();
  const std::string error = file.value("error", "");
  EXPECT_THAT(error, HasSubstr(font_));
  EXPECT_THAT(error, HasSubstr("exit status 3: font renderer broke"));
  EXPECT_EQ(Thumbnail()["outcome"], "failed before");
  ProcessResult info = RunProcess({"gio", "info", "-a", "thumbnail::*", font_}, Env());
  EXPECT_THAT(info.out, Not(HasSubstr("thumbnail::is-valid: TRUE")));
}

TEST_F(ExternalThumbnailerTest, NoExternalLeavesTheTypeUnsupported) {
  nlohmann::json file = Thumbnail({"--no-external"});
  EXPECT_EQ(last_.exit_code, 1);
  EXPECT_EQ(file["outcome"], "failed") << file.dump();
  EXPECT_FALSE(file.contains("thumbnailer"));
  EXPECT_FALSE(fs::exists(cache_home_ / "thumbnails/large"));
}

}  // namespace
}  // namespace tessera::testing
