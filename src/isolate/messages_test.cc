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

TEST(MessagesTest, ClipRequestKeepsItsOptions) {
  HelperRequest r;
  r.op = HelperRequest::Op::kClip;
  r.path = "/videos/ünïcode clip.mp4";
  r.mime_type = "video/mp4";
  r.family = "video";
  r.clip.edge = 320;
  r.clip.seconds = 2.5;
  r.clip.start_seconds = 7.25;
  r.clip.max_fps = 12;
  r.clip.crf = 31;
  r.clip.preset = "ultrafast";
  r.clip.max_bytes = 123456;
  r.cpu_seconds = 9;
  Result<HelperRequest> back = DecodeRequest(EncodeRequest(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->op, HelperRequest::Op::kClip);
  EXPECT_EQ(back->path, r.path);
  EXPECT_EQ(back->family, "video");
  EXPECT_EQ(back->clip.edge, 320);
  EXPECT_DOUBLE_EQ(back->clip.seconds, 2.5);
  ASSERT_TRUE(back->clip.start_seconds.has_value());
  EXPECT_DOUBLE_EQ(*back->clip.start_seconds, 7.25);
  EXPECT_EQ(back->clip.max_fps, 12);
  EXPECT_EQ(back->clip.crf, 31);
  EXPECT_EQ(back->clip.preset, "ultrafast");
  EXPECT_EQ(back->clip.max_bytes, 123456u);
  EXPECT_EQ(back->cpu_seconds, 9);

  r.clip.start_seconds.reset();  // the frame picker's moment
  back = DecodeRequest(EncodeRequest(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_FALSE(back->clip.start_seconds.has_value());
}

TEST(MessagesTest, ClipRequestWithoutOptionsIsRefused) {
  Message m;
  m.header = {{"op", "clip"}, {"path", "/a.mp4"}};
  EXPECT_EQ(DecodeRequest(m).status().code(), StatusCode::kInvalidArgument);
  m.header = {{"op", "clip"}, {"path", "/a.mp4"}, {"clip", nullptr}};
  EXPECT_EQ(DecodeRequest(m).status().code(), StatusCode::kInvalidArgument);
  m.header = {{"op", "clip"}, {"path", "/a.mp4"}, {"clip", nlohmann::json::object()}};
  Result<HelperRequest> defaults = DecodeRequest(m);
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  EXPECT_EQ(defaults->clip.edge, ClipOptions{}.edge);
  EXPECT_EQ(defaults->clip.preset, ClipOptions{}.preset);
}

TEST(MessagesTest, ClipReplyCarriesTheBytes) {
  std::string mp4("\0\0\0 ftypisom", 12);
  mp4 += std::string(1000, '\xff');
  Result<std::string> back = DecodeClipReply(EncodeClipReply(mp4));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, mp4);

  Result<std::string> error =
      DecodeClipReply(EncodeError(Status::TooLarge("/a.mp4: the clip would be over 10 bytes")));
  EXPECT_EQ(error.status().code(), StatusCode::kTooLarge);
  EXPECT_EQ(error.status().message(), "/a.mp4: the clip would be over 10 bytes");
}

TEST(MessagesTest, MalformedOrMismatchedClipRepliesAreRefused) {
  Message m = EncodeClipReply("abcdef");
  m.blobs[0].pop_back();
  EXPECT_EQ(DecodeClipReply(m).status().code(), StatusCode::kInternal) << "size mismatch";
  m = EncodeClipReply("abcdef");
  m.blobs.push_back("more");
  EXPECT_EQ(DecodeClipReply(m).status().code(), StatusCode::kInternal) << "two blobs";
  m = EncodeClipReply("");
  EXPECT_EQ(DecodeClipReply(m).status().code(), StatusCode::kInternal) << "empty clip";

  ThumbnailSet set;
  set.images = {Image{1, 1, {1, 2, 3, 4}}};
  EXPECT_EQ(DecodeClipReply(EncodeReply(set)).status().code(), StatusCode::kInternal)
      << "thumbnails are not a clip";
  EXPECT_EQ(DecodeReply(EncodeClipReply("abcd")).status().code(), StatusCode::kInternal)
      << "a clip is not thumbnails";
}

}  // namespace
}  // namespace tessera::isolate
