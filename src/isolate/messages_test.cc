// Requests and replies keep every field across the wire; malformed replies are refused.
#include "src/isolate/messages.h"

#include <gtest/gtest.h>

namespace tessera::isolate {
namespace {

TEST(MessagesTest, RequestRoundTrip) {
  HelperRequest r;
  r.op = HelperRequest::Op::kThumbnail;
  r.path = "/photos/ünïcode #1.mov";
  r.mime_type = "video/quicktime";
  r.family = "video";
  r.targets = {Target::Square(256), Target{1024, 768}, Target::CroppedSquare(500)};
  r.quality = Quality::kFast;
  r.max_pixels = 123456789;
  r.max_file_bytes = 99;
  r.cpu_seconds = 7;
  r.fault = "crash";
  Result<HelperRequest> back = DecodeRequest(EncodeRequest(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->path, r.path);
  EXPECT_EQ(back->mime_type, r.mime_type);
  EXPECT_EQ(back->family, r.family);
  ASSERT_EQ(back->targets.size(), 3u);
  EXPECT_EQ(back->targets[0].fit, Target::Fit::kInside);
  EXPECT_EQ(back->targets[2].fit, Target::Fit::kCrop);
  EXPECT_EQ(back->targets[2].max_width, 500);
  EXPECT_EQ(back->targets[1].max_width, 1024);
  EXPECT_EQ(back->targets[1].max_height, 768);
  EXPECT_EQ(back->quality, Quality::kFast);
  EXPECT_EQ(back->max_pixels, r.max_pixels);
  EXPECT_EQ(back->max_file_bytes, 99u);
  EXPECT_EQ(back->cpu_seconds, 7);
  EXPECT_EQ(back->fault, "crash");
}

TEST(MessagesTest, ReplyCarriesProbeAndPixels) {
  ThumbnailSet set;
  set.probe.mime_type = "video/mp4";
  set.probe.format = "video";
  set.probe.width = 1920;
  set.probe.height = 1080;
  set.probe.duration_seconds = 14.5;
  Image a{2, 1, {1, 2, 3, 4, 5, 6, 7, 8}};
  set.images = {a};
  Result<ThumbnailSet> back = DecodeReply(EncodeReply(set));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->probe.width, 1920);
  EXPECT_EQ(back->probe.format, "video");
  EXPECT_DOUBLE_EQ(back->probe.duration_seconds, 14.5);
  ASSERT_EQ(back->images.size(), 1u);
  EXPECT_EQ(back->images[0].rgba, a.rgba);
}

TEST(MessagesTest, ErrorKeepsCodeAndMessage) {
  Result<ThumbnailSet> back =
      DecodeReply(EncodeError(Status::Unsupported("/a.mp3: no video stream")));
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(back.status().message(), "/a.mp3: no video stream");
}

TEST(MessagesTest, PixelsThatDoNotMatchTheirSizeAreRefused) {
  ThumbnailSet set;
  set.images = {Image{2, 2, std::vector<uint8_t>(16, 0)}};
  Message m = EncodeReply(set);
  m.blobs[0].pop_back();
  EXPECT_EQ(DecodeReply(m).status().code(), StatusCode::kInternal);
  m = EncodeReply(set);
  m.blobs.clear();
  EXPECT_FALSE(DecodeReply(m).ok());
}

TEST(MessagesTest, RequestWithoutPathOrWithBadTargetsIsRefused) {
  Message m;
  m.header = {{"op", "thumbnail"}};
  EXPECT_FALSE(DecodeRequest(m).ok());
  m.header = {{"op", "thumbnail"}, {"path", "/a"}, {"targets", nlohmann::json::array({"x"})}};
  EXPECT_FALSE(DecodeRequest(m).ok());
  m.header = {{"op", "thumbnail"}, {"path", "/a"}, {"targets", {{"w", 1}}}};
  EXPECT_FALSE(DecodeRequest(m).ok()) << "targets must be a list";
  m.header = {{"op", "rm -rf"}, {"path", "/a"}};
  EXPECT_FALSE(DecodeRequest(m).ok());
}

}  // namespace
}  // namespace tessera::isolate
