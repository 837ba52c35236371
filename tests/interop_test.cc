// Interop with the desktop, both ways, with the real programs: GLib's `gio info` must report
// our thumbnails valid (for awkward file names too), GNOME's thumbnail factory must accept them,
// and a thumbnail GNOME wrote must be valid for us and never rewritten.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tessera/xdg.h"
#include "tests/support/process.h"

namespace tessera::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kPhoto = "photos/mate__Dune.jpg";

std::string FactoryScript() {
  return std::string(TESSERA_SOURCE_DIR) + "/tests/scripts/gnome_factory.py";
}

class InteropTest : public ::testing::Test {
 protected:
  ProcessOptions Env() { return {.env = {{"XDG_CACHE_HOME", cache_home_.path()}}}; }
  ProcessResult GioThumbnailInfo(const std::string& file) {
    return RunProcess({"gio", "info", "-a", "thumbnail::*", file}, Env());
  }
  TempDir cache_home_;
  TempDir work_;
};

// Names whose URIs need escaping: GLib's rules, byte for byte.
TEST_F(InteropTest, GioReportsOurThumbnailsValidForAwkwardNames) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  const std::string names[] = {
      "plain.jpg",
      "with space.jpg",
      "per%cent.jpg",
      "hash#tag.jpg",
      "what?.jpg",
      "semi;colon[1].jpg",
      "ünïcödé 写真.jpg",
      "latin1-\xe9t\xe9.jpg",  // not UTF-8: each byte escaped on its own
      "amp&plus+eq=.jpg",
  };
  for (const std::string& name : names) {
    const std::string file = work_ / name;
    CopyFile(CorpusPath(kPhoto), file);
    ProcessResult made = RunProcess({TesseraBin(), "thumbnail", "--size", "all", file}, Env());
    ASSERT_EQ(made.exit_code, 0) << name << ": " << made.err;
    ProcessResult info = GioThumbnailInfo(file);
    ASSERT_EQ(info.exit_code, 0) << info.err;
    EXPECT_THAT(info.out, HasSubstr("thumbnail::is-valid: TRUE")) << name << "\n" << info.out;
    EXPECT_THAT(info.out, HasSubstr(xdg::Md5Hex(xdg::CanonicalUri(file)))) << name;
  }
}

TEST_F(InteropTest, GioFindsThumbnailsThroughDotDotPaths) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  ASSERT_EQ(mkdir((work_ / "sub").c_str(), 0755), 0);
  const std::string file = work_ / "a.jpg";
  CopyFile(CorpusPath(kPhoto), file);
  ProcessResult made = RunProcess({TesseraBin(), "thumbnail", work_ / "sub/../a.jpg"}, Env());
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_THAT(GioThumbnailInfo(file).out, HasSubstr("thumbnail::is-valid: TRUE"));
}

TEST_F(InteropTest, GnomeFactoryAcceptsOurs) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  const std::string file = work_ / "ours.jpg";
  CopyFile(CorpusPath(kPhoto), file);
  ASSERT_EQ(RunProcess({TesseraBin(), "thumbnail", "--size", "all", file}, Env()).exit_code, 0);
  for (const char* size : {"normal", "large", "x-large", "xx-large"}) {
    ProcessResult r =
        RunProcess({"/usr/bin/python3", FactoryScript(), "lookup", size, file}, Env());
    EXPECT_EQ(r.exit_code, 0) << size << ": " << r.err;
    EXPECT_THAT(r.out, HasSubstr(std::string("/thumbnails/") + size + "/")) << size;
  }
}

TEST_F(InteropTest, ThumbnailsGnomeWroteAreValidForUsAndNotRewritten) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  const std::string file = work_ / "theirs.jpg";
  CopyFile(CorpusPath(kPhoto), file);
  ProcessResult saved =
      RunProcess({"/usr/bin/python3", FactoryScript(), "save", "large", file}, Env());
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  const std::string thumb =
      cache_home_.path() + "/thumbnails/large/" + xdg::Md5Hex(xdg::CanonicalUri(file)) + ".png";
  ASSERT_TRUE(Exists(thumb));
  const struct stat before = Stat(thumb);

  ProcessResult lookup = RunProcess({TesseraBin(), "lookup", file}, Env());
  EXPECT_EQ(lookup.exit_code, 0) << lookup.out << lookup.err;
  EXPECT_THAT(lookup.out, HasSubstr(thumb));
  ProcessResult again = RunProcess({TesseraBin(), "thumbnail", file}, Env());
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_THAT(again.out, HasSubstr("1 up to date"));
  const struct stat after = Stat(thumb);
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
}

// tumbler (XFCE) writes a fractional Thumb::MTime; we read it tolerantly.
TEST_F(InteropTest, TumblerStyleFractionalMTimeIsValidForUs) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  const std::string file = work_ / "xfce.jpg";
  CopyFile(CorpusPath(kPhoto), file);
  ASSERT_EQ(RunProcess({TesseraBin(), "thumbnail", file}, Env()).exit_code, 0);
  const std::string thumb =
      cache_home_.path() + "/thumbnails/large/" + xdg::Md5Hex(xdg::CanonicalUri(file)) + ".png";
  // Re-key the thumbnail as tumbler would, with an RGB image and a fractional mtime.
  const std::string mtime = std::to_string(Stat(file).st_mtime) + ".123456";
  ProcessResult rekey =
      RunProcess({"vips", "extract_band", thumb, work_ / "rgb.png[strip]", "0", "--n", "3"}, Env());
  ASSERT_EQ(rekey.exit_code, 0) << rekey.err;
  ProcessResult tagged =
      RunProcess({"/usr/bin/python3", "-c",
                  "import sys, zlib, struct\n"
                  "data = open(sys.argv[1],'rb').read()\n"
                  "def chunk(t, b): return struct.pack('>I', len(b)) + t + b + "
                  "struct.pack('>I', zlib.crc32(t + b))\n"
                  "text = b''.join(chunk(b'tEXt', k.encode() + b'\\0' + v.encode()) "
                  "for k, v in [('Thumb::URI', sys.argv[3]), ('Thumb::MTime', "
                  "sys.argv[4])])\n"
                  "open(sys.argv[2],'wb').write(data[:33] + text + data[33:])\n",
                  work_ / "rgb.png", thumb, xdg::CanonicalUri(file), mtime},
                 Env());
  ASSERT_EQ(tagged.exit_code, 0) << tagged.err;
  ProcessResult lookup = RunProcess({TesseraBin(), "lookup", file}, Env());
  EXPECT_EQ(lookup.exit_code, 0) << lookup.out << lookup.err;
}

}  // namespace
}  // namespace tessera::testing
