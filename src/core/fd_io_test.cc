#include "src/core/fd_io.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "src/core/unique_fd.h"

namespace tessera {
namespace {

TEST(FdIoTest, WritesAndReadsBackMoreThanOneBuffer) {
  UniqueFd fd(::memfd_create("fd-io-test", MFD_CLOEXEC));
  ASSERT_TRUE(fd.valid());
  std::string bytes(100'000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
  ASSERT_TRUE(WriteAll(fd.get(), bytes, "memfd").ok());
  ASSERT_EQ(::lseek(fd.get(), 10, SEEK_SET), 10);
  Result<std::string> read = ReadToEnd(fd.get(), "memfd");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, bytes.substr(10));
}

TEST(FdIoTest, ErrorsNameTheirContext) {
  UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd.valid());
  Status written = WriteAll(fd.get(), "x", "the output");
  EXPECT_FALSE(written.ok());
  EXPECT_NE(written.ToString().find("the output"), std::string::npos) << written.ToString();
  UniqueFd writer(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  Result<std::string> read = ReadToEnd(writer.get(), "the input");
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().ToString().find("the input"), std::string::npos);
  EXPECT_TRUE(WriteAll(writer.get(), "", "nothing").ok());
}

}  // namespace
}  // namespace tessera
