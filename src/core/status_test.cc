#include "tessera/status.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace tessera {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, CarriesCodeAndContext) {
  Status s = Status::Corrupt("premature end of JPEG data").WithContext("decode: /a.jpg");
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_EQ(s.message(), "decode: /a.jpg: premature end of JPEG data");
  EXPECT_TRUE(s.IsPermanentFileFailure());
}

TEST(StatusTest, FromErrnoMapsKinds) {
  EXPECT_EQ(Status::FromErrno(ENOENT, "open x").code(), StatusCode::kNotFound);
  EXPECT_EQ(Status::FromErrno(EACCES, "open x").code(), StatusCode::kPermissionDenied);
  Status full = Status::FromErrno(ENOSPC, "write x");
  EXPECT_EQ(full.code(), StatusCode::kIOError);
  EXPECT_FALSE(full.IsPermanentFileFailure());
}

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  TESSERA_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_FALSE(Quarter(6).ok());
  EXPECT_EQ(Quarter(6).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tessera
