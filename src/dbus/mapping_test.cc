// The pure mappings: flavors to sizes, URIs to paths, outcomes to error codes, schedulers.
#include <gtest/gtest.h>

#include <algorithm>

#include "src/dbus/error_code.h"
#include "src/dbus/flavor.h"
#include "src/dbus/request_uri.h"
#include "src/dbus/supported.h"
#include "src/dbus/variant.h"

namespace tessera::dbus {
namespace {

TEST(DbusFlavorTest, FourFlavorsAreTheCacheSizes) {
  EXPECT_EQ(FlavorNames(), (std::vector<std::string>{"normal", "large", "x-large", "xx-large"}));
  EXPECT_EQ(ParseFlavor("normal"), xdg::ThumbSize::kNormal);
  EXPECT_EQ(ParseFlavor("large"), xdg::ThumbSize::kLarge);
  EXPECT_EQ(ParseFlavor("x-large"), xdg::ThumbSize::kXLarge);
  EXPECT_EQ(ParseFlavor("xx-large"), xdg::ThumbSize::kXXLarge);
  EXPECT_EQ(ParseFlavor("huge"), std::nullopt);
  EXPECT_EQ(ParseFlavor("Large"), std::nullopt);
  EXPECT_EQ(ParseFlavor(""), std::nullopt);
}

TEST(DbusSchedulerNamesTest, BackgroundOrElseForeground) {
  EXPECT_EQ(SchedulerNames(), (std::vector<std::string>{"default", "foreground", "background"}));
  EXPECT_EQ(ParseScheduler("background"), Priority::kBackground);
  EXPECT_EQ(ParseScheduler("foreground"), Priority::kForeground);
  EXPECT_EQ(ParseScheduler("default"), Priority::kForeground);
  EXPECT_EQ(ParseScheduler(""), Priority::kForeground);
  EXPECT_EQ(ParseScheduler("lifo"), Priority::kForeground);
}

TEST(DbusSupportedTest, OneFileSchemePerTypeFromTheThumbnailerEntry) {
  auto [schemes, types] = SupportedSchemesAndTypes();
  ASSERT_EQ(schemes.size(), types.size());
  EXPECT_GT(types.size(), 50u);
  EXPECT_TRUE(std::all_of(schemes.begin(), schemes.end(), [](auto& s) { return s == "file"; }));
  for (const char* type : {"image/jpeg", "image/png", "video/mp4", "image/x-adobe-dng",
                           "application/pdf", "image/vnd.adobe.photoshop"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << type;
  }
  EXPECT_TRUE(std::none_of(types.begin(), types.end(), [](auto& t) {
    return t.empty() || t.find(';') != std::string::npos || t.find('"') != std::string::npos;
  }));
}

TEST(DbusRequestUriTest, LocalFilesOnly) {
  EXPECT_EQ(*LocalPathForUri("file:///a/b%20c%23.jpg"), "/a/b c#.jpg");
  EXPECT_EQ(*LocalPathForUri("file://localhost/a.jpg"), "/a.jpg");
  EXPECT_EQ(*LocalPathForUri("FILE:///a.jpg"), "/a.jpg");
  EXPECT_EQ(*LocalPathForUri("file:///caf%E9.jpg"), "/caf\xe9.jpg");  // not UTF-8: kept as bytes
  EXPECT_EQ(LocalPathForUri("sftp://host/a.jpg").status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(LocalPathForUri("http://x/a.jpg").status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(LocalPathForUri("file://otherhost/a.jpg").status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(LocalPathForUri("/a.jpg").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LocalPathForUri("file:relative.jpg").status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(LocalPathForUri("smb://h/a.jpg").status().message().find("'smb'"), std::string::npos);
}

FileResult Result(Outcome outcome, Status status = {}, bool store_failed = false) {
  FileResult r;
  r.path = "/p/a.jpg";
  r.outcome = outcome;
  r.status = std::move(status);
  r.store_failed = store_failed;
  return r;
}

int CodeOf(const FileAnswer& answer) {
  return answer.ready() ? -1 : static_cast<int>(answer.error->code);
}

TEST(DbusErrorCodeTest, OutcomesMapToTheSpecificationsCodes) {
  EXPECT_TRUE(AnswerFor(Result(Outcome::kGenerated)).ready());
  EXPECT_TRUE(AnswerFor(Result(Outcome::kUpToDate)).ready());
  EXPECT_EQ(CodeOf(AnswerFor(Result(Outcome::kFailed, Status::Unsupported("no decoder")))), 0);
  EXPECT_EQ(CodeOf(AnswerFor(Result(Outcome::kFailed, Status::Corrupt("truncated")))), 2);
  EXPECT_EQ(CodeOf(AnswerFor(Result(Outcome::kFailed, Status::TooLarge("300 MP")))), 2);
  EXPECT_EQ(CodeOf(AnswerFor(Result(Outcome::kFailed, Status::NotFound("gone")))), 2);
  EXPECT_EQ(CodeOf(AnswerFor(Result(Outcome::kFailed, Status::Internal("no helper")))), 1);
  EXPECT_EQ(CodeOf(AnswerFor(Result(Outcome::kFailed, Status::IOError("disk full"), true))), 4);
  EXPECT_EQ(CodeOf(AnswerFor(Result(Outcome::kFailedBefore, Status::Unsupported("before")))), 2);
  EXPECT_EQ(CodeOf(AnswerFor(Result(Outcome::kSkipped,
                                    Status::Unsupported("/p/a.jpg: inside a thumbnail cache")))),
            3);
  EXPECT_EQ(
      CodeOf(AnswerFor(Result(Outcome::kSkipped, Status::Unsupported("/p: not a regular file")))),
      0);
  FileAnswer corrupt = AnswerFor(Result(Outcome::kFailed, Status::Corrupt("/p/a.jpg: truncated")));
  EXPECT_EQ(corrupt.error->message, "/p/a.jpg: truncated");
}

TEST(DbusErrorCodeTest, FailuresBeforeTheThumbnailer) {
  EXPECT_EQ(ErrorForStatus(Status::Unsupported("sftp")).code, ErrorCode::kUnsupported);
  EXPECT_EQ(ErrorForStatus(Status::InvalidArgument("bad uri")).code, ErrorCode::kUnsupported);
  EXPECT_EQ(ErrorForStatus(Status::PermissionDenied("denied")).code, ErrorCode::kInvalidData);
}

TEST(DbusVariantTest, MessagesBecomeValidUtf8) {
  EXPECT_EQ(ValidUtf8("/p/caf\xc3\xa9.jpg: truncated"), "/p/caf\xc3\xa9.jpg: truncated");
  EXPECT_EQ(ValidUtf8("/p/caf\xe9.jpg: truncated"), "/p/caf\xef\xbf\xbd.jpg: truncated");
  EXPECT_EQ(ValidUtf8(""), "");
}

}  // namespace
}  // namespace tessera::dbus
