#include "src/xdg/desktop_process.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <functional>

#include "src/xdg/internal.h"
#include "src/xdg/test_util.h"

namespace tessera::internal {
namespace {

using xdg::LookupState;
using xdg::ThumbSize;
using xdg::testing::SolidImage;
using xdg::testing::TempDir;
using xdg::testing::WriteFile;

// Stands in for Engine::Thumbnail: a width x height original, fitted into each target and
// never upscaled; or a given error.
struct FakeEngine {
  int width = 3000;
  int height = 2000;
  Status error;
  std::function<void()> during;  // runs inside the call, as if while decoding
  int calls = 0;
  std::vector<Target> last_targets;
  Quality last_quality = Quality::kQuality;

  ThumbnailFn Fn() {
    return [this](const std::vector<Target>& targets, Quality quality) -> Result<ThumbnailSet> {
      ++calls;
      if (during) during();
      last_targets = targets;
      last_quality = quality;
      if (!error.ok()) return error;
      ThumbnailSet set;
      set.probe.mime_type = "image/jpeg";
      set.probe.format = "jpeg";
      set.probe.width = width;
      set.probe.height = height;
      for (const Target& t : targets) {
        double scale = std::min({1.0, double(t.max_width) / width, double(t.max_height) / height});
        set.images.push_back(SolidImage(std::max(1, int(width * scale + 0.5)),
                                        std::max(1, int(height * scale + 0.5))));
      }
      return set;
    };
  }
};

class DesktopProcessTest : public ::testing::Test {
 protected:
  DesktopProcessTest() {
    photo_ = dir_ / "photos/a b.jpg";
    WriteFile(photo_, "jpeg bytes");
    options_.sizes = {ThumbSize::kNormal, ThumbSize::kLarge};
  }
  FileResult Run() { return ProcessOriginal(photo_, cache_, options_, engine_.Fn()); }
  xdg::Original Original() { return *xdg::StatOriginal(photo_); }

  TempDir dir_;
  std::string photo_;
  xdg::Cache cache_{xdg::CacheOptions{dir_ / "cache/thumbnails"}};
  DesktopOptions options_;
  FakeEngine engine_;
};

TEST_F(DesktopProcessTest, GeneratesEveryMissingSizeFromOneDecodeThenIsUpToDate) {
  FileResult result = Run();
  EXPECT_EQ(result.outcome, Outcome::kGenerated) << result.status.ToString();
  EXPECT_EQ(result.written, (std::vector<ThumbSize>{ThumbSize::kNormal, ThumbSize::kLarge}));
  EXPECT_EQ(result.mime_type, "image/jpeg");
  EXPECT_EQ(engine_.calls, 1);
  ASSERT_EQ(engine_.last_targets.size(), 2u);
  EXPECT_EQ(engine_.last_targets[0].max_width, 128);
  EXPECT_EQ(engine_.last_targets[1].max_width, 256);
  EXPECT_EQ(cache_.Find(Original(), ThumbSize::kLarge).state, LookupState::kValid);
  auto text = ReadPngText(cache_.ThumbnailPath(Original().uri, ThumbSize::kLarge));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ((*text)[3], (std::pair<std::string, std::string>{"Thumb::Mimetype", "image/jpeg"}));
  EXPECT_EQ((*text)[4], (std::pair<std::string, std::string>{"Thumb::Image::Width", "3000"}));

  result = Run();
  EXPECT_EQ(result.outcome, Outcome::kUpToDate);
  EXPECT_EQ(engine_.calls, 1);  // no decode, no write

  // Only the missing size is made.
  unlink(cache_.ThumbnailPath(Original().uri, ThumbSize::kNormal).c_str());
  result = Run();
  EXPECT_EQ(result.outcome, Outcome::kGenerated);
  EXPECT_EQ(result.written, std::vector<ThumbSize>{ThumbSize::kNormal});
  ASSERT_EQ(engine_.last_targets.size(), 1u);

  options_.force = true;
  EXPECT_EQ(Run().outcome, Outcome::kGenerated);
  EXPECT_EQ(engine_.calls, 3);
}

TEST_F(DesktopProcessTest, SmallOriginalIsStoredNotUpscaled) {
  engine_.width = 100;
  engine_.height = 60;
  EXPECT_EQ(Run().outcome, Outcome::kGenerated);
  auto image =
      DecodePng(xdg::testing::ReadFile(cache_.ThumbnailPath(Original().uri, ThumbSize::kLarge)));
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->width, 100);
  EXPECT_EQ(Run().outcome, Outcome::kUpToDate);
}

TEST_F(DesktopProcessTest, PermanentFailureIsRecordedAndNotRetried) {
  engine_.error = Status::Corrupt("decode: premature end of JPEG data");
  FileResult result = Run();
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.status.message(), photo_ + ": decode: premature end of JPEG data");
  EXPECT_TRUE(cache_.HasFailure(Original()));

  result = Run();
  EXPECT_EQ(result.outcome, Outcome::kFailedBefore);
  EXPECT_EQ(engine_.calls, 1);

  // A changed file is tried again.
  xdg::testing::SetMTime(photo_, 1234567890);
  engine_.error = Status();
  EXPECT_EQ(Run().outcome, Outcome::kGenerated);
}

TEST_F(DesktopProcessTest, ForceRetriesAndClearsTheFailureRecord) {
  engine_.error = Status::Unsupported("no decoder");
  EXPECT_EQ(Run().outcome, Outcome::kFailed);
  engine_.error = Status();
  options_.force = true;
  EXPECT_EQ(Run().outcome, Outcome::kGenerated);
  EXPECT_FALSE(cache_.HasFailure(Original()));
}

TEST_F(DesktopProcessTest, TransientEngineFailureIsNotRecorded) {
  for (Status error : {Status::IOError("read error"), Status::PermissionDenied("denied"),
                       Status::Internal("vips died"), Status::NotFound("vanished")}) {
    engine_.error = error;
    FileResult result = Run();
    EXPECT_EQ(result.outcome, Outcome::kFailed);
    EXPECT_FALSE(cache_.HasFailure(Original())) << error.ToString();
    EXPECT_FALSE(result.store_failed);
  }
  EXPECT_FALSE(xdg::testing::ReadFile(cache_.FailurePath(Original().uri)).size());
}

// The cache cannot be written (here `large` is a file, so mkdir gets ENOTDIR; a read-only
// folder would not stop root): kFailed with the Store error, and no failure record although
// fail/ itself is writable.
TEST_F(DesktopProcessTest, UnwritableCacheFailsWithoutRecord) {
  WriteFile(cache_.base_dir() + "/large", "not a folder");
  FileResult result = Run();
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_NE(result.status.message().find(photo_ + ": store: mkdir "), std::string::npos)
      << result.status.ToString();
  EXPECT_FALSE(cache_.HasFailure(Original()));
  EXPECT_NE(access((cache_.base_dir() + "/fail").c_str(), F_OK), 0);
  EXPECT_TRUE(result.store_failed);
}

TEST_F(DesktopProcessTest, SkipsCacheFilesAndNonRegularFiles) {
  std::string inside = cache_.base_dir() + "/normal/x.png";
  WriteFile(inside, "png");
  FileResult result = ProcessOriginal(inside, cache_, options_, engine_.Fn());
  EXPECT_EQ(result.outcome, Outcome::kSkipped);
  std::string sh = dir_ / "photos/.sh_thumbnails/normal/y.png";
  WriteFile(sh, "png");
  EXPECT_EQ(ProcessOriginal(sh, cache_, options_, engine_.Fn()).outcome, Outcome::kSkipped);
  EXPECT_EQ(ProcessOriginal(dir_ / "photos", cache_, options_, engine_.Fn()).outcome,
            Outcome::kSkipped);
  EXPECT_EQ(engine_.calls, 0);
}

TEST_F(DesktopProcessTest, MissingFileFailsWithoutRecord) {
  FileResult result = ProcessOriginal(dir_ / "nope.jpg", cache_, options_, engine_.Fn());
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.status.code(), StatusCode::kNotFound);
  EXPECT_NE(result.status.message().find(dir_ / "nope.jpg"), std::string::npos);
  EXPECT_EQ(engine_.calls, 0);
  EXPECT_NE(access(cache_.base_dir().c_str(), F_OK), 0);  // nothing written
}

TEST_F(DesktopProcessTest, DraftExport) {
  options_.draft_only = true;
  options_.draft_quality = xdg::DraftQuality::kLow;
  options_.draft_edges = {48, 128};
  FileResult result = Run();
  EXPECT_EQ(result.outcome, Outcome::kGenerated) << result.status.ToString();
  EXPECT_EQ(engine_.last_quality, Quality::kFast);
  EXPECT_EQ(access((dir_ / "photos/.thumbnails/48x48/a b.jpg.lq.png").c_str(), F_OK), 0);
  EXPECT_EQ(access((dir_ / "photos/.thumbnails/128x128/a b.jpg.lq.png").c_str(), F_OK), 0);
  EXPECT_NE(access(cache_.base_dir().c_str(), F_OK), 0);  // draft only: no personal cache
  EXPECT_EQ(Run().outcome, Outcome::kUpToDate);

  xdg::testing::SetMTime(photo_, 1000000000);
  engine_.error = Status::TooLarge("too many pixels");
  EXPECT_EQ(Run().outcome, Outcome::kFailed);
  EXPECT_EQ(access((dir_ / "photos/.thumbnails/a b.jpg.failed").c_str(), F_OK), 0);
  EXPECT_EQ(Run().outcome, Outcome::kFailedBefore);

  options_.draft_only = false;
  options_.draft_export = true;
  options_.force = true;
  engine_.error = Status();
  result = Run();
  EXPECT_EQ(result.outcome, Outcome::kGenerated);
  EXPECT_EQ(engine_.last_quality, Quality::kQuality);
  EXPECT_EQ(engine_.last_targets.size(), 4u);  // two sizes, two draft edges
}

TEST(OutcomeTest, Names) {
  EXPECT_EQ(OutcomeName(Outcome::kUpToDate), "up to date");
  EXPECT_EQ(OutcomeName(Outcome::kFailedBefore), "failed before");
}

// A file still being copied, or saved while we decode it, gets neither a thumbnail nor a
// failure record: both would carry the mtime of a file that no longer exists.
TEST_F(DesktopProcessTest, FileChangedDuringDecodeIsNeitherStoredNorRecorded) {
  engine_.during = [this] { WriteFile(photo_, "jpeg bytes, and more of them"); };
  FileResult result = Run();
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_NE(result.status.message().find("changed while"), std::string::npos);
  EXPECT_NE(result.status.message().find(photo_), std::string::npos);
  EXPECT_FALSE(result.status.IsPermanentFileFailure());
  const xdg::Original now = Original();
  EXPECT_EQ(cache_.Find(now, ThumbSize::kLarge).state, LookupState::kMissing);
  EXPECT_FALSE(cache_.HasFailure(now));

  engine_.error = Status::Corrupt("premature end of data");  // a half-copied file
  engine_.during = [this] { WriteFile(photo_, "jpeg bytes, complete now, longer"); };
  result = Run();
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_NE(access(cache_.FailurePath(Original().uri).c_str(), F_OK), 0)
      << "a failure of a file being copied is not kept";
}

}  // namespace
}  // namespace tessera::internal
