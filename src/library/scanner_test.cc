// The scanner on a real folder of corpus files: first import, cheap rescans, moves, copies,
// deletions, recipe changes and bad files.
#include "src/library/scanner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "src/library/content_hash.h"
#include "src/library/sqlite_catalog.h"

namespace tessera::library {
namespace {

namespace fs = std::filesystem;
using ::tessera::testing::CorpusPath;
using ::tessera::testing::TempDir;

// Library path -> corpus path.
const std::map<std::string, std::string>& GoodFiles() {
  static const auto* files = new std::map<std::string, std::string>{
      {"a/bar55.jpg", "photos/kphotoalbum__bar55.jpg"},
      {"a/b/blackie.jpg", "photos/kphotoalbum__blackie.jpg"},
      {"rotated.jpg", "orientation/orientation-6.jpg"},
      {"clip.mp4", "video/real-h264-320x240__imageio__realshort.mp4"},
  };
  return *files;
}
const std::map<std::string, std::string>& BadFiles() {
  static const auto* files = new std::map<std::string, std::string>{
      {"bad/truncated.jpg", "bad/truncated-40pct__IMG_20191224_234846.jpg"},
      {"bad/text-file.jpg", "bad/text-file.jpg"},
  };
  return *files;
}

class ScannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto* set : {&GoodFiles(), &BadFiles()}) {
      for (const auto& [rel, corpus] : *set) {
        if (!::tessera::testing::PathExists(CorpusPath(corpus))) {
          GTEST_SKIP() << "corpus file missing: " << corpus;
        }
      }
    }
    auto opened = OpenSqliteCatalog(dir_ / "catalog.db");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    catalog_ = std::move(opened).value();
    auto user = catalog_->AddUser(User{0, "ann", "", ""});
    ASSERT_TRUE(user.ok());
    auto lib = catalog_->AddLibrary(*user, root());
    ASSERT_TRUE(lib.ok());
    library_ = Library{*lib, *user, root()};
  }

  std::string root() const { return dir_ / "photos"; }
  std::string In(const std::string& rel) const { return root() + "/" + rel; }

  void CopyIn(const std::map<std::string, std::string>& files) {
    for (const auto& [rel, corpus] : files) {
      fs::create_directories(fs::path(In(rel)).parent_path());
      ::tessera::testing::CopyFile(CorpusPath(corpus), In(rel));
    }
  }

  ScanReport Scan(ScanOptions options = {}) {
    Scanner scanner(*catalog_, engine_, store_, std::move(options));
    auto report = scanner.Scan(library_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : ScanReport{};
  }

  std::optional<PhotoFile> File(const std::string& rel) {
    auto f = catalog_->FindFile(library_.id, rel);
    EXPECT_TRUE(f.ok());
    return f.ok() ? *f : std::nullopt;
  }

  std::optional<Variant> VariantOf(int64_t photo_id, const std::string& kind) {
    auto v = catalog_->FindVariant(photo_id, kind);
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : std::nullopt;
  }

  TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
  MediaStore store_{dir_ / "data"};
  Engine engine_;
  Library library_;
};

TEST_F(ScannerTest, FirstScanMakesThreeVariantsPerPhotoAndRecordsBadFiles) {
  CopyIn(GoodFiles());
  CopyIn(BadFiles());
  ScanReport r = Scan();
  EXPECT_EQ(r.files_seen, 6);
  EXPECT_EQ(r.new_photos, 4);
  EXPECT_EQ(r.variants_generated, 12);
  EXPECT_EQ(r.failed, 2);
  EXPECT_EQ(r.unchanged, 0);
  EXPECT_EQ(r.removed, 0);

  for (const auto& [rel, corpus] : GoodFiles()) {
    SCOPED_TRACE(rel);
    auto file = File(rel);
    ASSERT_TRUE(file.has_value());
    auto hash = ContentHash(In(rel));
    ASSERT_TRUE(hash.ok());
    auto photo = catalog_->FindPhotoForViewer(*hash, library_.owner_id);
    ASSERT_TRUE(photo.ok() && photo->has_value());
    EXPECT_EQ((*photo)->id, file->photo_id);
    const PhotoMeta& meta = (*photo)->meta;
    EXPECT_GT(meta.width, 0);
    const bool video = rel == "clip.mp4";
    for (const VariantSpec& spec : DefaultVariants()) {
      auto v = VariantOf(file->photo_id, spec.kind);
      ASSERT_TRUE(v.has_value()) << spec.kind;
      EXPECT_EQ(v->recipe, video ? VideoRecipe(spec) : Recipe(spec));
      // The default square of a video is a clip.
      const char* ext = video && spec.video_clip ? "mp4" : "jpg";
      EXPECT_TRUE(store_.Exists(spec.kind, *hash, ext)) << spec.kind;
      if (spec.target.fit == Target::Fit::kCrop) {
        // A true square, never upscaled: a small original gives its shorter side.
        const int edge = std::min({spec.target.max_width, meta.width, meta.height});
        EXPECT_EQ(v->width, edge) << spec.kind;
        EXPECT_EQ(v->height, edge) << spec.kind;
      } else {
        EXPECT_LE(v->width, 4096);
        EXPECT_LE(v->height, 1080);
        EXPECT_TRUE(v->width == std::min(meta.width, 4096) ||
                    v->height == std::min(meta.height, 1080));
      }
    }
  }
  for (const auto& [rel, corpus] : BadFiles()) {
    EXPECT_FALSE(File(rel).has_value()) << rel;
    auto failure = catalog_->FindFailure(library_.id, rel);
    ASSERT_TRUE(failure.ok() && failure->has_value()) << rel;
    EXPECT_NE((*failure)->reason.find(fs::path(rel).filename().string()), std::string::npos)
        << (*failure)->reason;
  }
}

TEST_F(ScannerTest, UnchangedRescanReadsNothing) {
  CopyIn(GoodFiles());
  CopyIn(BadFiles());
  Scan();
  ScanReport r = Scan();
  EXPECT_EQ(r.files_seen, 6);
  EXPECT_EQ(r.unchanged, 4);
  EXPECT_EQ(r.known_failures, 2);
  EXPECT_EQ(r.files_read, 0);
  EXPECT_EQ(r.variants_generated, 0);
  EXPECT_EQ(r.failed, 0);
  EXPECT_EQ(r.removed, 0);
  EXPECT_TRUE(File("a/bar55.jpg").has_value());
}

TEST_F(ScannerTest, TouchedFileIsReadButNotReimported) {
  CopyIn(GoodFiles());
  Scan();
  auto before = File("a/bar55.jpg");
  fs::last_write_time(In("a/bar55.jpg"),
                      fs::last_write_time(In("a/bar55.jpg")) + std::chrono::seconds(5));
  ScanReport r = Scan();
  EXPECT_EQ(r.files_read, 1);
  EXPECT_EQ(r.new_photos, 0);
  EXPECT_EQ(r.variants_generated, 0);
  auto after = File("a/bar55.jpg");
  ASSERT_TRUE(before && after);
  EXPECT_EQ(after->photo_id, before->photo_id);
  EXPECT_NE(after->mtime_ns, before->mtime_ns);
}

TEST_F(ScannerTest, RenameKeepsThePhotoAndItsVariants) {
  CopyIn(GoodFiles());
  Scan();
  auto before = File("a/bar55.jpg");
  ASSERT_TRUE(before.has_value());
  fs::create_directories(In("moved"));
  fs::rename(In("a/bar55.jpg"), In("moved/renamed.jpg"));
  ScanReport r = Scan();
  EXPECT_EQ(r.new_photos, 0);
  EXPECT_EQ(r.variants_generated, 0);
  EXPECT_EQ(r.removed, 1);
  EXPECT_FALSE(File("a/bar55.jpg").has_value());
  auto after = File("moved/renamed.jpg");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->photo_id, before->photo_id);
}

TEST_F(ScannerTest, DeletedFileLosesItsRow) {
  CopyIn(GoodFiles());
  Scan();
  fs::remove(In("clip.mp4"));
  ScanReport r = Scan();
  EXPECT_EQ(r.removed, 1);
  EXPECT_EQ(r.files_seen, 3);
  EXPECT_FALSE(File("clip.mp4").has_value());
  EXPECT_TRUE(File("rotated.jpg").has_value());
}

TEST_F(ScannerTest, IdenticalFilesShareOnePhoto) {
  CopyIn({{"one.jpg", "photos/kphotoalbum__bar55.jpg"},
          {"copy/two.jpg", "photos/kphotoalbum__bar55.jpg"}});
  ScanReport r = Scan();
  EXPECT_EQ(r.files_seen, 2);
  EXPECT_EQ(r.new_photos, 1);
  EXPECT_EQ(r.variants_generated, 3);
  auto one = File("one.jpg");
  auto two = File("copy/two.jpg");
  ASSERT_TRUE(one && two);
  EXPECT_EQ(one->photo_id, two->photo_id);
}

TEST_F(ScannerTest, RecipeChangeRegeneratesOnlyThatKind) {
  CopyIn(GoodFiles());
  Scan();
  auto file = File("a/bar55.jpg");
  ASSERT_TRUE(file.has_value());
  auto big_before = VariantOf(file->photo_id, "thumbnails_big");
  ScanOptions options;
  options.variants[2].quality = 70;
  ScanReport r = Scan(options);
  EXPECT_EQ(r.unchanged, 4);
  EXPECT_EQ(r.new_photos, 0);
  EXPECT_EQ(r.variants_generated, 4);
  auto small = VariantOf(file->photo_id, "small_square_thumbnails");
  ASSERT_TRUE(small.has_value());
  EXPECT_EQ(small->recipe, Recipe(options.variants[2]));
  auto big_after = VariantOf(file->photo_id, "thumbnails_big");
  ASSERT_TRUE(big_before && big_after);
  EXPECT_EQ(big_after->recipe, big_before->recipe);
  // And the next scan with the same settings has nothing to do.
  ScanReport again = Scan(options);
  EXPECT_EQ(again.variants_generated, 0);
  EXPECT_EQ(again.files_read, 0);
}

TEST_F(ScannerTest, VideoSquareSettingRegeneratesOnlyTheVideosSquare) {
  CopyIn(GoodFiles());
  Scan();
  auto video = File("clip.mp4");
  auto photo = File("a/bar55.jpg");
  ASSERT_TRUE(video && photo);
  auto hash = ContentHash(In("clip.mp4"));
  ASSERT_TRUE(hash.ok());
  ASSERT_TRUE(store_.Exists("square_thumbnails", *hash, "mp4"));
  auto photo_square = VariantOf(photo->photo_id, "square_thumbnails");

  ScanOptions frames;
  ASSERT_TRUE(ApplyVideoSquareSetting(frames.variants, "frame").ok());
  ScanReport r = Scan(frames);
  EXPECT_EQ(r.unchanged, 4);
  EXPECT_EQ(r.variants_generated, 1);  // the video's square, nothing else
  auto square = VariantOf(video->photo_id, "square_thumbnails");
  ASSERT_TRUE(square.has_value());
  EXPECT_EQ(square->recipe, VideoRecipe(frames.variants[1]));
  EXPECT_EQ(square->width, 240);
  EXPECT_TRUE(store_.Exists("square_thumbnails", *hash, "jpg"));
  EXPECT_FALSE(store_.Exists("square_thumbnails", *hash, "mp4"));
  EXPECT_EQ(VariantOf(photo->photo_id, "square_thumbnails")->recipe, photo_square->recipe);
  EXPECT_EQ(Scan(frames).variants_generated, 0);

  ScanReport back = Scan();  // clips again
  EXPECT_EQ(back.variants_generated, 1);
  EXPECT_TRUE(store_.Exists("square_thumbnails", *hash, "mp4"));
  EXPECT_FALSE(store_.Exists("square_thumbnails", *hash, "jpg"));
}

TEST_F(ScannerTest, AWorkerDrainsJobsAnotherHostQueuedAndTheirScanKeepsTheFiles) {
  // Another host's walk queued these for its scan `generation`; a worker (Work: no walk) makes
  // them. A job's file gone meanwhile is dropped, a job for a busy lease is not taken.
  CopyIn(GoodFiles());
  const int64_t generation = 1'700'000'000'000'000'000;
  for (const auto& [rel, corpus] : GoodFiles()) {
    ASSERT_TRUE(catalog_->EnqueueJob(library_.id, rel, generation).ok());
  }
  ASSERT_TRUE(catalog_->EnqueueJob(library_.id, "gone.jpg", generation).ok());
  ScanOptions options;
  options.worker_id = "host-b/worker";
  options.workers = 2;
  Scanner worker(*catalog_, engine_, store_, options);
  auto report = worker.Work();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->new_photos, 4);
  EXPECT_EQ(report->variants_generated, 12);
  EXPECT_EQ(report->files_seen, 0) << "a worker walks nothing";
  for (const auto& [rel, corpus] : GoodFiles()) {
    auto file = File(rel);
    ASSERT_TRUE(file.has_value()) << rel;
    EXPECT_EQ(file->seen_generation, generation) << rel;
  }
  auto counts = catalog_->CountJobs(library_.id, 0);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->pending + counts->claimed, 0);
  // The walking host's own rescan finds everything made and removes nothing.
  ScanReport rescan = Scan();
  EXPECT_EQ(rescan.unchanged, 4);
  EXPECT_EQ(rescan.variants_generated, 0);
  EXPECT_EQ(rescan.removed, 0);
}

TEST_F(ScannerTest, AWorkerLeavesJobsUnderAnotherWorkersLiveLease) {
  CopyIn(GoodFiles());
  ASSERT_TRUE(catalog_->EnqueueJob(library_.id, "rotated.jpg", 1).ok());
  auto held = catalog_->ClaimJob(std::nullopt, "host-a", 4'000'000'000, 600);
  ASSERT_TRUE(held.ok() && held->has_value());
  ScanOptions options;
  options.worker_id = "host-b/worker";
  Scanner worker(*catalog_, engine_, store_, options);
  auto report = worker.Work();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->files_read, 0);
  EXPECT_FALSE(File("rotated.jpg").has_value());
}

TEST_F(ScannerTest, ChangedBadFileIsRetried) {
  CopyIn(BadFiles());
  Scan();
  // Still bad, but changed: read again and recorded again.
  { std::ofstream(In("bad/text-file.jpg"), std::ios::app) << "more text\n"; }
  ScanReport r = Scan();
  EXPECT_EQ(r.files_read, 1);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.known_failures, 1);
  // Replaced by a good photo: imported and its failure cleared.
  ::tessera::testing::CopyFile(CorpusPath("photos/kphotoalbum__bar55.jpg"),
                               In("bad/truncated.jpg"));
  r = Scan();
  EXPECT_EQ(r.new_photos, 1);
  EXPECT_EQ(r.failed, 0);
  EXPECT_TRUE(File("bad/truncated.jpg").has_value());
  auto failure = catalog_->FindFailure(library_.id, "bad/truncated.jpg");
  ASSERT_TRUE(failure.ok());
  EXPECT_FALSE(failure->has_value());
}

TEST_F(ScannerTest, UnchangedBadFileIsRetriedOnRequestAndCountsAttempts) {
  CopyIn(BadFiles());
  Scan();
  ScanOptions retry;
  retry.retry_failures = true;
  ScanReport r = Scan(retry);
  EXPECT_EQ(r.files_read, 2);
  EXPECT_EQ(r.failed, 2);
  EXPECT_EQ(r.known_failures, 0);
  auto failure = catalog_->FindFailure(library_.id, "bad/text-file.jpg");
  ASSERT_TRUE(failure.ok() && failure->has_value());
  EXPECT_EQ((*failure)->attempts, 2);
  // Without the request the ledger is trusted again: nothing read, attempts unchanged.
  r = Scan();
  EXPECT_EQ(r.files_read, 0);
  EXPECT_EQ(r.known_failures, 2);
  failure = catalog_->FindFailure(library_.id, "bad/text-file.jpg");
  ASSERT_TRUE(failure.ok() && failure->has_value());
  EXPECT_EQ((*failure)->attempts, 2);
}

TEST_F(ScannerTest, DeletedBadFileLeavesTheLedger) {
  CopyIn(BadFiles());
  Scan();
  fs::remove(In("bad/text-file.jpg"));
  Scan();
  auto failures = catalog_->Failures(library_.id);
  ASSERT_TRUE(failures.ok());
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ((*failures)[0].rel_path, "bad/truncated.jpg");
}

TEST_F(ScannerTest, SkipsHiddenEntriesAndSymlinksLeavingTheRoot) {
  CopyIn({{"visible.jpg", "photos/kphotoalbum__bar55.jpg"},
          {".hidden.jpg", "photos/kphotoalbum__blackie.jpg"},
          {".trash/old.jpg", "photos/kphotoalbum__blackie.jpg"}});
  ::tessera::testing::CopyFile(CorpusPath("photos/kphotoalbum__blackie.jpg"), dir_ / "outside.jpg");
  fs::create_symlink(dir_ / "outside.jpg", In("escape.jpg"));
  fs::create_directory_symlink(dir_.path(), In("loop"));
  fs::create_symlink(In("visible.jpg"), In("inside-link.jpg"));
  ScanReport r = Scan();
  EXPECT_EQ(r.files_seen, 2) << "visible.jpg and inside-link.jpg";
  EXPECT_EQ(r.new_photos, 1);
  EXPECT_TRUE(File("inside-link.jpg").has_value());
  EXPECT_FALSE(File("escape.jpg").has_value());
  EXPECT_FALSE(File(".hidden.jpg").has_value());
}

TEST_F(ScannerTest, WorkersGiveTheSameResultAndReportProgress) {
  CopyIn(GoodFiles());
  CopyIn(BadFiles());
  int64_t calls = 0;
  int64_t last_done = 0;
  ScanOptions options;
  options.workers = 3;
  options.on_progress = [&](const ScanProgress& p) {
    ++calls;
    EXPECT_EQ(p.files_total, 6);
    EXPECT_EQ(p.files_done, last_done + 1);
    last_done = p.files_done;
  };
  ScanReport r = Scan(options);
  EXPECT_EQ(calls, 6);
  EXPECT_EQ(r.new_photos, 4);
  EXPECT_EQ(r.variants_generated, 12);
  EXPECT_EQ(r.failed, 2);
  options.on_progress = nullptr;
  EXPECT_EQ(Scan(options).unchanged, 4);
}

}  // namespace
}  // namespace tessera::library
