#include "src/library/content_hash.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>

#include "src/core/test_fs.h"

namespace tessera::library {
namespace {

using testing::TempDir;

// `b2sum -l 256 <path>` (coreutils), the independent reference; "" when it cannot run.
std::string B2Sum256(const std::string& path) {
  std::string command = "b2sum -l 256 '" + path + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), &pclose);
  if (!pipe) return "";
  char line[256] = {};
  if (!fgets(line, sizeof(line), pipe.get())) return "";
  return std::string(line).substr(0, 64);
}

std::string RandomBytes(size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  return bytes;
}

TEST(ContentHashTest, EmptyFileMatchesLibsodiumVector) {
  TempDir dir;
  testing::WriteFile(dir / "empty", "");
  Result<std::string> hash = ContentHash(dir / "empty");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(*hash, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST(ContentHashTest, SmallFileMatchesB2sum) {
  TempDir dir;
  testing::WriteFile(dir / "abc", "abc");
  std::string expected = B2Sum256(dir / "abc");
  if (expected.empty()) GTEST_SKIP() << "b2sum is not available";
  Result<std::string> hash = ContentHash(dir / "abc");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(*hash, expected);
  // The published BLAKE2b-256("abc").
  EXPECT_EQ(*hash, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

// 3.5 MiB crosses three chunk boundaries and ends in a partial chunk.
TEST(ContentHashTest, FileLargerThanOneChunkMatchesB2sum) {
  TempDir dir;
  const std::string path = dir / "big.bin";
  testing::WriteFile(path, RandomBytes(3 * (1 << 20) + (1 << 19), 42));
  std::string expected = B2Sum256(path);
  if (expected.empty()) GTEST_SKIP() << "b2sum is not available";
  Result<std::string> hash = ContentHash(path);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(*hash, expected);
  EXPECT_TRUE(IsContentHash(*hash));
}

TEST(ContentHashTest, ExactlyOneChunkMatchesB2sum) {
  TempDir dir;
  const std::string path = dir / "one.bin";
  testing::WriteFile(path, RandomBytes(1 << 20, 7));
  std::string expected = B2Sum256(path);
  if (expected.empty()) GTEST_SKIP() << "b2sum is not available";
  Result<std::string> hash = ContentHash(path);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(*hash, expected);
}

TEST(ContentHashTest, MissingFileIsNotFoundAndNamesTheFile) {
  TempDir dir;
  Result<std::string> hash = ContentHash(dir / "nope.jpg");
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.status().code(), StatusCode::kNotFound);
  EXPECT_NE(hash.status().message().find(dir / "nope.jpg"), std::string::npos);
  Result<std::string> quick = QuickHash(dir / "nope.jpg");
  ASSERT_FALSE(quick.ok());
  EXPECT_NE(quick.status().message().find(dir / "nope.jpg"), std::string::npos);
}

TEST(ContentHashTest, FolderAndFifoAreRejected) {
  TempDir dir;
  Result<std::string> folder = ContentHash(dir.path());
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.status().message().find(dir.path()), std::string::npos);
  // A FIFO without a writer would block a reader forever.
  ASSERT_EQ(mkfifo((dir / "fifo").c_str(), 0600), 0);
  Result<std::string> fifo = ContentHash(dir / "fifo");
  ASSERT_FALSE(fifo.ok());
  EXPECT_EQ(fifo.status().code(), StatusCode::kInvalidArgument);
}

TEST(ContentHashTest, QuickHashIsStableAndChangesWithOneByte) {
  TempDir dir;
  std::string bytes = RandomBytes(2 * (1 << 20) + 123, 3);
  testing::WriteFile(dir / "a", bytes);
  testing::WriteFile(dir / "b", bytes);
  bytes[1 << 20] ^= 1;  // one bit, in the second chunk
  testing::WriteFile(dir / "c", bytes);
  Result<std::string> a = QuickHash(dir / "a");
  Result<std::string> b = QuickHash(dir / "b");
  Result<std::string> c = QuickHash(dir / "c");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
}

TEST(ContentHashTest, QuickHashOfEmptyFileIsXxh3Vector) {
  TempDir dir;
  testing::WriteFile(dir / "empty", "");
  Result<std::string> hash = QuickHash(dir / "empty");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  // XXH3_128bits("") as `xxhsum -H2` prints it.
  EXPECT_EQ(*hash, "99aa06d3014798d86001c324468d497f");
}

TEST(ContentHashTest, IsContentHashAcceptsOnlyLowercaseHex64) {
  const std::string good(64, 'a');
  EXPECT_TRUE(IsContentHash(good));
  EXPECT_TRUE(IsContentHash("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"));
  EXPECT_FALSE(IsContentHash("0E5751C026E543B2E8AB2EB06099DAA1D1E5DF47778F7787FAAB45CDF12FE3A8"));
  EXPECT_FALSE(IsContentHash(std::string(63, 'a')));
  EXPECT_FALSE(IsContentHash(std::string(65, 'a')));
  EXPECT_FALSE(IsContentHash(""));
  EXPECT_FALSE(IsContentHash("../" + std::string(61, 'a')));
  EXPECT_FALSE(IsContentHash(std::string(63, 'a') + "g"));
  EXPECT_FALSE(IsContentHash(std::string(63, 'a') + "/"));
  EXPECT_FALSE(IsContentHash(std::string(63, 'a') + '\0'));
  EXPECT_FALSE(IsContentHash(std::string(62, 'a') + "%2"));
}

TEST(ContentHashOfBytesTest, MatchesTheFileHash) {
  tessera::testing::TempDir dir;
  const std::string path = dir / "bytes.bin";
  const std::string bytes = "avatar bytes \x01\x02 and more";
  tessera::testing::WriteFile(path, bytes);
  auto from_file = ContentHash(path);
  auto from_bytes = ContentHashOfBytes(bytes);
  ASSERT_TRUE(from_file.ok() && from_bytes.ok());
  EXPECT_EQ(*from_file, *from_bytes);
  EXPECT_NE(*from_bytes, *ContentHashOfBytes(bytes + "x"));
}

}  // namespace
}  // namespace tessera::library
