// .thumbnailer entries: reading them, expanding their Exec lines, and finding them by type in
// the folders GNOME looks in, in its order.
#include "src/xdg/thumbnailer_entry.h"

#include <gtest/gtest.h>

#include "src/core/test_fs.h"
#include "src/xdg/thumbnailer_registry.h"

namespace tessera::xdg {
namespace {

using ::tessera::testing::TempDir;
using ::tessera::testing::WriteFile;

std::string Entry(const std::string& exec, const std::string& types,
                  const std::string& try_exec = "") {
  std::string text = "[Thumbnailer Entry]\n";
  if (!try_exec.empty()) text += "TryExec=" + try_exec + "\n";
  return text + "Exec=" + exec + "\nMimeType=" + types + "\n";
}

TEST(ThumbnailerEntryTest, ReadsTheKeysGnomeReads) {
  TempDir dir;
  WriteFile(dir / "fonts.thumbnailer",
            "# a comment\n[Thumbnailer Entry]\nTryExec=gnome-thumbnail-font\n"
            "Exec=gnome-thumbnail-font --size %s %u %o\n"
            "MimeType=font/ttf;font/otf;application/x-font-ttf;\n");
  auto entry = ReadThumbnailerEntry(dir / "fonts.thumbnailer");
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_EQ(entry->name, "fonts.thumbnailer");
  EXPECT_EQ(entry->try_exec, "gnome-thumbnail-font");
  EXPECT_EQ(entry->exec, "gnome-thumbnail-font --size %s %u %o");
  EXPECT_EQ(entry->mime_types,
            (std::vector<std::string>{"font/ttf", "font/otf", "application/x-font-ttf"}));
}

TEST(ThumbnailerEntryTest, RefusesEntriesItCannotRun) {
  TempDir dir;
  const std::pair<std::string, std::string> bad[] = {
      {"no-group", "[Desktop Entry]\nExec=x %o\nMimeType=a/b;\n"},
      {"no-exec", "[Thumbnailer Entry]\nMimeType=a/b;\n"},
      {"no-types", "[Thumbnailer Entry]\nExec=x %i %o\n"},
      {"no-output", Entry("x %i", "a/b;")},
      {"unbalanced-quote", Entry("x 'unterminated %o", "a/b;")},
      {"not-a-key-file", "this is not\x01 a key file"},
  };
  for (const auto& [name, text] : bad) {
    WriteFile(dir / (name + ".thumbnailer"), text);
    auto entry = ReadThumbnailerEntry(dir / (name + ".thumbnailer"));
    ASSERT_FALSE(entry.ok()) << name;
    EXPECT_EQ(entry.status().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_NE(entry.status().message().find(name + ".thumbnailer"), std::string::npos)
        << entry.status().ToString();
  }
  EXPECT_FALSE(ReadThumbnailerEntry(dir / "missing.thumbnailer").ok());
}

TEST(ExpandExecTest, EachFieldStaysInsideItsArgument) {
  ExecFields fields;
  fields.input_path = "/photos/my file; rm -rf ~.ttf";
  fields.input_uri = "file:///photos/my%20file%3B%20rm%20-rf%20~.ttf";
  fields.output = "/tmp/out dir/o.png";
  fields.size = 256;
  fields.mime_type = "font/ttf";
  auto argv = ExpandExec("thumb --size=%s -m %m 'in=%i' %u %o 100%%", fields);
  ASSERT_TRUE(argv.ok()) << argv.status().ToString();
  EXPECT_EQ(*argv,
            (std::vector<std::string>{
                "thumb", "--size=256", "-m", "font/ttf", "in=/photos/my file; rm -rf ~.ttf",
                "file:///photos/my%20file%3B%20rm%20-rf%20~.ttf", "/tmp/out dir/o.png", "100%"}));
  EXPECT_EQ(ExpandExec("thumb %x %o", fields).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ExpandExec("thumb %o %", fields).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ExpandExec("", fields).status().code(), StatusCode::kInvalidArgument);
}

TEST(ThumbnailerRegistryTest, EarlierFoldersWinAndUninstalledProgramsAreSkipped) {
  TempDir home, system;
  // The user's folder hides the system's entry of the same name, and its types come first.
  WriteFile(home / "fonts.thumbnailer", Entry("/bin/true %i %o", "font/ttf;"));
  WriteFile(system / "fonts.thumbnailer", Entry("/bin/false %i %o", "font/ttf;font/otf;"));
  WriteFile(system / "a-first.thumbnailer", Entry("/bin/echo %o", "text/x-a;font/woff;"));
  WriteFile(system / "b-second.thumbnailer", Entry("/bin/cat %o", "text/x-a;"));
  WriteFile(system / "gone.thumbnailer",
            Entry("no-such-program-here %o", "text/x-gone;", "no-such-program-here"));
  WriteFile(system / "gone-try.thumbnailer",
            Entry("/bin/true %o", "text/x-try;", "no-such-program-here"));
  WriteFile(system / "ourselves.thumbnailer",
            Entry("/usr/local/bin/tessera thumbnailer -s %s %u %o", "image/x-ours;"));
  WriteFile(system / "broken.thumbnailer", "[Thumbnailer Entry]\nMimeType=text/x-b;\n");
  WriteFile(system / "ignored.txt", Entry("/bin/true %o", "text/x-txt;"));

  const ThumbnailerRegistry registry =
      ThumbnailerRegistry::Load({home.path(), home / "missing", system.path()});
  ASSERT_NE(registry.Find("font/ttf"), nullptr);
  EXPECT_EQ(registry.Find("font/ttf")->exec, "/bin/true %i %o");
  EXPECT_EQ(registry.Find("font/otf"), nullptr) << "the hidden entry gives no types at all";
  ASSERT_NE(registry.Find("text/x-a"), nullptr);
  EXPECT_EQ(registry.Find("text/x-a")->name, "a-first.thumbnailer");
  for (const char* none :
       {"text/x-gone", "text/x-try", "image/x-ours", "text/x-b", "text/x-txt", "font/TTF"}) {
    EXPECT_EQ(registry.Find(none), nullptr) << none;
  }
  EXPECT_EQ(registry.MimeTypes(), (std::vector<std::string>{"font/ttf", "font/woff", "text/x-a"}));
  EXPECT_TRUE(RunsTessera("tessera thumbnailer -s %s %u %o"));
  EXPECT_FALSE(RunsTessera("tessera-like %o"));
}

TEST(ThumbnailerRegistryTest, DefaultFoldersFollowXdgOrder) {
  const std::vector<std::string> dirs = DefaultThumbnailerDirs();
  ASSERT_GE(dirs.size(), 2u);
  for (const std::string& dir : dirs) {
    EXPECT_EQ(dir.substr(dir.size() - 13), "/thumbnailers") << dir;
  }
}

}  // namespace
}  // namespace tessera::xdg
