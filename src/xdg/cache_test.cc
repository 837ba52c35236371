#include <dirent.h>
#include <gtest/gtest.h>
#include <png.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "src/xdg/internal.h"
#include "src/xdg/test_util.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

using testing::ModeOf;
using testing::ReadFile;
using testing::ScopedUmask;
using testing::SetMTime;
using testing::SolidImage;
using testing::TempDir;
using testing::WriteFile;

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (struct dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(d);
  }
  return names;
}

class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    photo_ = dir_ / "photos/a b#é.jpg";
    WriteFile(photo_, "not really a jpeg, but the cache does not care");
    SetMTime(photo_, 1700000000);
  }
  Original Stat() {
    auto original = StatOriginal(photo_);
    EXPECT_TRUE(original.ok()) << original.status().ToString();
    return *original;
  }
  std::string base() const { return dir_ / "cache/thumbnails"; }

  TempDir dir_;
  std::string photo_;
};

TEST_F(CacheTest, StoreThenFind) {
  Cache cache(CacheOptions{base()});
  Original original = Stat();
  EXPECT_EQ(cache.Find(original, ThumbSize::kLarge).state, LookupState::kMissing);
  ASSERT_TRUE(
      cache.Store(original, ThumbSize::kLarge, SolidImage(256, 170), {"image/jpeg", 3000, 2000})
          .ok());
  Lookup found = cache.Find(original, ThumbSize::kLarge);
  EXPECT_EQ(found.state, LookupState::kValid) << found.reason;
  EXPECT_EQ(found.path, cache.ThumbnailPath(original.uri, ThumbSize::kLarge));
  EXPECT_FALSE(found.from_shared_repository);
  EXPECT_EQ(cache.Find(original, ThumbSize::kNormal).state, LookupState::kMissing);

  auto text = ReadPngText(found.path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ((*text)[0], (std::pair<std::string, std::string>{"Thumb::URI", original.uri}));
  EXPECT_EQ((*text)[1].second, "1700000000");
  auto image = DecodePng(ReadFile(found.path));
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->width, 256);
  EXPECT_EQ(image->height, 170);
}

TEST_F(CacheTest, StoresImagesSmallerThanTheBoxButRefusesLargerOnes) {
  Cache cache(CacheOptions{base()});
  Original original = Stat();
  EXPECT_TRUE(cache.Store(original, ThumbSize::kLarge, SolidImage(40, 30), {}).ok());
  EXPECT_EQ(cache.Find(original, ThumbSize::kLarge).state, LookupState::kValid);
  EXPECT_EQ(cache.Store(original, ThumbSize::kNormal, SolidImage(129, 10), {}).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(CacheTest, ChangedMTimeOrSizeMakesItStale) {
  Cache cache(CacheOptions{base()});
  Original original = Stat();
  ASSERT_TRUE(cache.Store(original, ThumbSize::kNormal, SolidImage(8, 8), {}).ok());
  SetMTime(photo_, 1700000001);
  Lookup lookup = cache.Find(Stat(), ThumbSize::kNormal);
  EXPECT_EQ(lookup.state, LookupState::kStale);
  EXPECT_NE(lookup.reason.find("MTime"), std::string::npos) << lookup.reason;

  SetMTime(photo_, 1700000000);
  EXPECT_EQ(cache.Find(Stat(), ThumbSize::kNormal).state, LookupState::kValid);
  WriteFile(photo_, "different length");
  SetMTime(photo_, 1700000000);
  lookup = cache.Find(Stat(), ThumbSize::kNormal);
  EXPECT_EQ(lookup.state, LookupState::kStale);
  EXPECT_NE(lookup.reason.find("Size"), std::string::npos) << lookup.reason;
}

TEST_F(CacheTest, GarbledOrForeignThumbnails) {
  Cache cache(CacheOptions{base()});
  Original original = Stat();
  std::string path = cache.ThumbnailPath(original.uri, ThumbSize::kNormal);
  auto write_keys = [&](const PngText& keys) {
    auto png = EncodePng(SolidImage(4, 4), keys);
    ASSERT_TRUE(png.ok());
    WriteFile(path, *png);
  };
  const std::string mtime = std::to_string(original.mtime);

  WriteFile(path, "garbage");
  Lookup lookup = cache.Find(original, ThumbSize::kNormal);
  EXPECT_EQ(lookup.state, LookupState::kStale);
  EXPECT_NE(lookup.reason.find("unreadable"), std::string::npos) << lookup.reason;

  write_keys({{"Thumb::URI", original.uri}});
  EXPECT_EQ(cache.Find(original, ThumbSize::kNormal).reason, "no Thumb::MTime");
  write_keys({{"Thumb::MTime", mtime}});
  EXPECT_EQ(cache.Find(original, ThumbSize::kNormal).reason, "no Thumb::URI");
  write_keys({{"Thumb::URI", original.uri + "x"}, {"Thumb::MTime", mtime}});
  EXPECT_EQ(cache.Find(original, ThumbSize::kNormal).state, LookupState::kStale);
  write_keys({{"Thumb::URI", original.uri}, {"Thumb::MTime", "soon"}});
  EXPECT_EQ(cache.Find(original, ThumbSize::kNormal).state, LookupState::kStale);
  write_keys({{"Thumb::URI", original.uri}, {"Thumb::MTime", mtime}, {"Thumb::Size", "x"}});
  EXPECT_EQ(cache.Find(original, ThumbSize::kNormal).state, LookupState::kStale);

  // Tumbler's fractional MTime: GLib rejects it, we accept the integer part.
  write_keys({{"Thumb::URI", original.uri}, {"Thumb::MTime", mtime + ".123456"}});
  EXPECT_EQ(cache.Find(original, ThumbSize::kNormal).state, LookupState::kValid);
  // No Thumb::Size: valid (checked only when present).
  write_keys({{"Thumb::URI", original.uri}, {"Thumb::MTime", mtime}});
  EXPECT_EQ(cache.Find(original, ThumbSize::kNormal).state, LookupState::kValid);
}

// An RGB PNG (GNOME's default thumbnailer writes those) with its keys after the image data.
TEST_F(CacheTest, AcceptsRgbThumbnailWithKeysAfterImageData) {
  Cache cache(CacheOptions{base()});
  Original original = Stat();
  std::string path = cache.ThumbnailPath(original.uri, ThumbSize::kNormal);
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_infop end = png_create_info_struct(png);
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, size_t n) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<char*>(data), n);
      },
      nullptr);
  png_set_IHDR(png, info, 2, 2, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
  png_write_info(png, info);
  png_byte row[6] = {1, 2, 3, 4, 5, 6};
  png_write_row(png, row);
  png_write_row(png, row);
  std::string mtime = std::to_string(original.mtime);
  png_text text[2] = {};
  text[0].compression = PNG_TEXT_COMPRESSION_NONE;
  text[0].key = const_cast<char*>("Thumb::URI");
  text[0].text = const_cast<char*>(original.uri.c_str());
  text[1].compression = PNG_TEXT_COMPRESSION_zTXt;
  text[1].key = const_cast<char*>("Thumb::MTime");
  text[1].text = mtime.data();
  png_set_text(png, end, text, 2);
  png_write_end(png, end);
  png_destroy_info_struct(png, &end);
  png_destroy_write_struct(&png, &info);
  WriteFile(path, out);
  EXPECT_EQ(cache.Find(original, ThumbSize::kNormal).state, LookupState::kValid);
}

TEST_F(CacheTest, FilesAre0600AndFoldersAre0700WhateverTheUmask) {
  for (mode_t mask : {mode_t{0}, mode_t{077}, mode_t{0777}}) {
    TempDir dir;
    ScopedUmask umask_guard(mask);
    Cache cache(CacheOptions{dir / "cache/thumbnails"});
    Original original = Stat();
    ASSERT_TRUE(cache.Store(original, ThumbSize::kXLarge, SolidImage(4, 4), {}).ok());
    ASSERT_TRUE(cache.RecordFailure(original, "broken").ok());
    EXPECT_EQ(ModeOf(cache.ThumbnailPath(original.uri, ThumbSize::kXLarge)), 0600u) << mask;
    EXPECT_EQ(ModeOf(cache.FailurePath(original.uri)), 0600u) << mask;
    for (const char* folder :
         {"cache", "cache/thumbnails", "cache/thumbnails/x-large", "cache/thumbnails/fail",
          "cache/thumbnails/fail/tessera-" TESSERA_VERSION}) {
      EXPECT_EQ(ModeOf(dir / folder), 0700u) << folder << " umask " << mask;
    }
  }
}

// A cache folder that cannot be written: `large` is a regular file, so mkdir fails with ENOTDIR
// (chmod would not stop root, who runs these tests). No temp file, nothing else written.
TEST_F(CacheTest, StoreIntoUnwritableFolderFailsCleanly) {
  Cache cache(CacheOptions{base()});
  WriteFile(base() + "/large", "a file where a folder should be");
  Status status = cache.Store(Stat(), ThumbSize::kLarge, SolidImage(4, 4), {});
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(status.IsPermanentFileFailure());
  EXPECT_NE(status.message().find("large"), std::string::npos) << status.ToString();
  EXPECT_EQ(ListDir(base()), std::vector<std::string>{"large"});
}

TEST_F(CacheTest, FailedRenameRemovesTheTempFile) {
  // The target is a non-empty folder: rename fails after the temp file was written.
  std::string target = dir_ / "out/x.png";
  WriteFile(target + "/inside", "x");
  Status status = WriteFileAtomically(target, "bytes", 0600);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(ListDir(dir_ / "out"), std::vector<std::string>{"x.png"});
  // And a folder that does not exist.
  EXPECT_FALSE(WriteFileAtomically(dir_ / "none/x.png", "bytes", 0600).ok());
}

TEST_F(CacheTest, SixteenProcessesWritingTheSameThumbnail) {
  Cache cache(CacheOptions{base()});
  Original original = Stat();
  std::vector<pid_t> children;
  for (int i = 0; i < 16; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Each writes a different-looking image of a size that takes a moment to encode.
      Image image = SolidImage(256, 256);
      for (size_t j = 0; j < image.rgba.size(); ++j)
        image.rgba[j] = static_cast<uint8_t>(j * (i + 3));
      bool ok = true;
      for (int round = 0; round < 5; ++round) {
        ok = ok && cache.Store(original, ThumbSize::kLarge, image, {}).ok();
      }
      _exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::vector<std::string> files = ListDir(base() + "/large");
  ASSERT_EQ(files.size(), 1u) << files[0];
  EXPECT_EQ(base() + "/large/" + files[0], cache.ThumbnailPath(original.uri, ThumbSize::kLarge));
  EXPECT_EQ(cache.Find(original, ThumbSize::kLarge).state, LookupState::kValid);
  auto image = DecodePng(ReadFile(base() + "/large/" + files[0]));
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->width, 256);
}

TEST_F(CacheTest, FailureRecordsHoldUntilTheOriginalChanges) {
  Cache cache(CacheOptions{base()});
  Original original = Stat();
  EXPECT_FALSE(cache.HasFailure(original));
  ASSERT_TRUE(cache.RecordFailure(original, "decode: premature end of JPEG data\n").ok());
  EXPECT_TRUE(cache.HasFailure(original));
  Lookup lookup = cache.Find(original, ThumbSize::kNormal);
  EXPECT_EQ(lookup.state, LookupState::kFailed);
  EXPECT_EQ(lookup.path, cache.FailurePath(original.uri));

  auto text = ReadPngText(cache.FailurePath(original.uri));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ((*text)[0].first, "Thumb::URI");
  EXPECT_EQ((*text)[1], (std::pair<std::string, std::string>{"Thumb::MTime", "1700000000"}));
  EXPECT_EQ((*text)[2].first, "Thumb::Size");
  auto pixel = DecodePng(ReadFile(cache.FailurePath(original.uri)));
  ASSERT_TRUE(pixel.ok());
  EXPECT_EQ(pixel->width, 1);

  SetMTime(photo_, 1700000005);
  EXPECT_FALSE(cache.HasFailure(Stat()));
  EXPECT_EQ(cache.Find(Stat(), ThumbSize::kNormal).state, LookupState::kMissing);
  SetMTime(photo_, 1700000000);
  WriteFile(photo_, "grown");
  SetMTime(photo_, 1700000000);
  EXPECT_FALSE(cache.HasFailure(Stat()));
}

TEST_F(CacheTest, SharedRepositoryIsReadWhenThePersonalCacheMisses) {
  Original original = Stat();
  Cache writer(CacheOptions{dir_ / "writer", true});
  {
    ScopedUmask umask_guard(077);
    chmod(photo_.c_str(), 0644);
    original = Stat();
    ASSERT_TRUE(writer.Store(original, ThumbSize::kNormal, SolidImage(8, 8), {}).ok());
  }
  std::string shared = SharedThumbnailPath(photo_, ThumbSize::kNormal);
  EXPECT_EQ(shared,
            dir_ / "photos/.sh_thumbnails/normal/" + Md5Hex("./a%20b%23%C3%A9.jpg") + ".png");
  EXPECT_EQ(ModeOf(shared), 0644u);
  EXPECT_EQ(ModeOf(dir_ / "photos/.sh_thumbnails"), ModeOf(dir_ / "photos"));
  auto text = ReadPngText(shared);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ((*text)[0].second, "./a%20b%23%C3%A9.jpg");

  Cache reader(CacheOptions{base()});
  Lookup lookup = reader.Find(original, ThumbSize::kNormal);
  EXPECT_EQ(lookup.state, LookupState::kValid) << lookup.reason;
  EXPECT_TRUE(lookup.from_shared_repository);
  EXPECT_EQ(lookup.path, shared);
  EXPECT_EQ(Cache(CacheOptions{base(), false, false}).Find(original, ThumbSize::kNormal).state,
            LookupState::kMissing);

  // URI and MTime may be absent in a shared repository; present, they must match.
  auto write_keys = [&](const PngText& keys) {
    auto png = EncodePng(SolidImage(4, 4), keys);
    ASSERT_TRUE(png.ok());
    WriteFile(shared, *png);
  };
  write_keys({});
  EXPECT_EQ(reader.Find(original, ThumbSize::kNormal).state, LookupState::kValid);
  write_keys({{"Thumb::MTime", "1"}});
  EXPECT_EQ(reader.Find(original, ThumbSize::kNormal).state, LookupState::kMissing);
  write_keys({{"Thumb::URI", "./other.jpg"}});
  EXPECT_EQ(reader.Find(original, ThumbSize::kNormal).state, LookupState::kMissing);
}

TEST_F(CacheTest, StatOriginal) {
  auto original = StatOriginal(dir_ / "photos/../photos/a b#é.jpg");
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(original->path, photo_);
  EXPECT_EQ(original->uri, "file://" + dir_.path() + "/photos/a%20b%23%C3%A9.jpg");
  EXPECT_EQ(original->mtime, 1700000000);
  EXPECT_EQ(original->size, ReadFile(photo_).size());

  EXPECT_EQ(StatOriginal(dir_ / "missing.jpg").status().code(), StatusCode::kNotFound);
  Status not_regular = StatOriginal(dir_ / "photos").status();
  EXPECT_EQ(not_regular.code(), StatusCode::kUnsupported);
  EXPECT_NE(not_regular.message().find(dir_ / "photos"), std::string::npos);

  // An original the user cannot read. Root reads everything, so drop to nobody in a child.
  chmod(photo_.c_str(), 0600);
  chmod(dir_.path().c_str(), 0755);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (getuid() == 0 && setuid(65534) != 0) _exit(3);
    auto result = StatOriginal(photo_);
    _exit(result.status().code() == StatusCode::kPermissionDenied ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// What GLib itself says about our thumbnails: `gio info` reads the cache named by
// XDG_CACHE_HOME and reports thumbnail::is-valid (GLib 2.74 looks in large, then normal).
std::string GioInfo(const std::string& cache_home, const std::string& file) {
  std::string command = "XDG_CACHE_HOME='" + cache_home +
                        "' GIO_USE_VFS=local gio info -a 'thumbnail::*' '" + file + "' 2>&1";
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[512];
    while (fgets(buffer, sizeof(buffer), pipe)) out += buffer;
    pclose(pipe);
  }
  return out;
}

TEST_F(CacheTest, GLibAgreesTheThumbnailIsValid) {
  const char* names[] = {"plain.jpg", "a b#?%.jpg", "\xc3\xa9t\xc3\xa9 \xe6\x97\xa5.jpg",
                         "caf\xe9.jpg", "[k];=@+,!$&()~.jpg"};
  Cache cache(CacheOptions{dir_ / "xdg/thumbnails"});
  for (const char* name : names) {
    std::string file = dir_ / std::string("photos/") + name;
    WriteFile(file, "bytes of " + std::string(name));
    SetMTime(file, 1600000000);
    auto original = StatOriginal(file);
    ASSERT_TRUE(original.ok());
    ASSERT_TRUE(cache.Store(*original, ThumbSize::kLarge, SolidImage(16, 16), {"image/jpeg"}).ok());
    std::string info = GioInfo(dir_ / "xdg", file);
    EXPECT_NE(
        info.find("thumbnail::path: " + cache.ThumbnailPath(original->uri, ThumbSize::kLarge)),
        std::string::npos)
        << name << "\n"
        << info;
    EXPECT_NE(info.find("thumbnail::is-valid: TRUE"), std::string::npos) << name << "\n" << info;
  }
  // And GLib says FALSE once the file changes.
  std::string file = dir_ / "photos/plain.jpg";
  SetMTime(file, 1600000001);
  EXPECT_NE(GioInfo(dir_ / "xdg", file).find("thumbnail::is-valid: FALSE"), std::string::npos);
}

}  // namespace
}  // namespace tessera::xdg
