#include "src/server/open_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "src/core/test_fs.h"

namespace tessera::server {
namespace {

// What the router hands the transport after stat'ing `path` (the whole file).
FileBody Stated(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  return FileBody{path, ByteRange{0, size == 0 ? 0 : size - 1}, size,
                  static_cast<uint64_t>(st.st_ino),
                  static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

std::string ReadAll(const UniqueFd& fd) {
  std::string out(4096, '\0');
  ssize_t n = ::pread(fd.get(), out.data(), out.size(), 0);
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

TEST(OpenFilesTest, KeepsADescriptorUntilTheFileIsReplaced) {
  tessera::testing::TempDir dir;
  const std::string path = dir / "a.jpg";
  tessera::testing::WriteFile(path, "first");
  OpenFiles files(8, 1024);
  const FileBody before = Stated(path);
  auto first = files.Open(before);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(ReadAll(**first), "first");
  auto again = files.Open(Stated(path));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), first->get());  // the same descriptor, not opened again
  EXPECT_EQ(files.size(), 1u);

  // Replaced the way the store does it (a new inode by rename), with the same size.
  tessera::testing::WriteFile(dir / "tmp", "again");
  std::filesystem::rename(dir / "tmp", path);
  auto replaced = files.Open(Stated(path));
  ASSERT_TRUE(replaced.ok());
  EXPECT_NE(replaced->get(), first->get());
  EXPECT_EQ(ReadAll(**replaced), "again");
  EXPECT_EQ(ReadAll(**first), "first");  // a response still sending the old file keeps it

  // The router stat'ed the old file, the new one is there now: not sent as the old one.
  auto stale = files.Open(before);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), StatusCode::kIOError);
}

TEST(OpenFilesTest, NoticesARewriteInPlace) {
  tessera::testing::TempDir dir;
  const std::string path = dir / "a.jpg";
  tessera::testing::WriteFile(path, "one");
  OpenFiles files(8, 1024);
  auto first = files.Open(Stated(path));
  ASSERT_TRUE(first.ok());
  tessera::testing::WriteFile(path, "three");  // same inode, new size and mtime
  auto second = files.Open(Stated(path));
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->get(), first->get());
  EXPECT_EQ(ReadAll(**second), "three");
}

TEST(OpenFilesTest, MissingFilesAndDirectoriesAreRefused) {
  tessera::testing::TempDir dir;
  OpenFiles files(8, 1024);
  FileBody gone{dir / "gone.jpg", ByteRange{0, 0}, 1, 1, 1};
  auto missing = files.Open(gone);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto directory = files.Open(Stated(dir.path()));
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(files.size(), 0u);
}

TEST(OpenFilesTest, BigFilesAreOpenedButNotKeptAndCapacityHolds) {
  tessera::testing::TempDir dir;
  OpenFiles files(2, 100);
  tessera::testing::WriteFile(dir / "big", std::string(101, 'b'));
  auto big = files.Open(Stated(dir / "big"));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(ReadAll(**big).size(), 101u);
  EXPECT_EQ(files.size(), 0u);
  for (int i = 0; i < 4; ++i) {
    const std::string path = dir / std::to_string(i);
    tessera::testing::WriteFile(path, std::string(10, static_cast<char>('a' + i)));
    auto fd = files.Open(Stated(path));
    ASSERT_TRUE(fd.ok());
    EXPECT_EQ(ReadAll(**fd), std::string(10, static_cast<char>('a' + i)));
    EXPECT_LE(files.size(), 2u);
  }
  EXPECT_EQ(files.size(), 2u);
}

}  // namespace
}  // namespace tessera::server
