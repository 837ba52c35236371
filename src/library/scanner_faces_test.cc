// The scanner's faces, placeholders, capture dates, interrupted scans and resumable job queue,
// on real corpus files.
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <vips/vips8>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "src/faces/faces.h"
#include "src/library/content_hash.h"
#include "src/library/scanner.h"
#include "src/library/sqlite_catalog.h"
#include "src/placeholder/thumbhash.h"

namespace tessera::library {
namespace {

namespace fs = std::filesystem;
using ::tessera::testing::CorpusPath;
using ::tessera::testing::TempDir;

class ScannerFacesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenSqliteCatalog(dir_ / "catalog.db");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    catalog_ = std::move(opened).value();
    auto user = catalog_->AddUser(User{0, "ann", "", "", ""});
    ASSERT_TRUE(user.ok());
    fs::create_directories(root());
    auto lib = catalog_->AddLibrary(*user, root());
    ASSERT_TRUE(lib.ok());
    library_ = Library{*lib, *user, root()};
  }
  std::string root() const { return dir_ / "photos"; }

  void Add(const std::string& corpus, const std::string& rel) {
    ::tessera::testing::CopyFile(CorpusPath(corpus), root() + "/" + rel);
  }
  ScanReport Scan(ScanOptions options = {}) {
    Scanner scanner(*catalog_, engine_, store_, std::move(options));
    auto report = scanner.Scan(library_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : ScanReport{};
  }
  Photo PhotoOf(const std::string& rel) {
    auto hash = ContentHash(root() + "/" + rel);
    EXPECT_TRUE(hash.ok());
    auto photo = catalog_->FindPhotoForViewer(*hash, library_.owner_id);
    EXPECT_TRUE(photo.ok() && photo->has_value()) << rel;
    return photo.ok() && photo->has_value() ? **photo : Photo{};
  }

  TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
  MediaStore store_{dir_ / "data"};
  Engine engine_;
  Library library_;
};

TEST_F(ScannerFacesTest, FacesAreFoundOnTheBigThumbnailAndCut) {
  TESSERA_REQUIRE_CORPUS_FILE("faces/dlib__2008_002506.jpg");
  TESSERA_REQUIRE_CORPUS_FILE("faces/dlib__dogs.jpg");
  Add("faces/dlib__2008_002506.jpg", "people.jpg");
  Add("faces/dlib__dogs.jpg", "dogs.jpg");
  ScanReport r = Scan();
  EXPECT_EQ(r.new_photos, 2);

  const Photo people = PhotoOf("people.jpg");
  auto faces = catalog_->FacesOfPhoto(people.id);
  ASSERT_TRUE(faces.ok());
  ASSERT_EQ(faces->size(), 3u);  // the corpus README: dlib's HOG finds 3
  auto big = catalog_->FindVariant(people.id, "thumbnails_big");
  ASSERT_TRUE(big.ok() && big->has_value());
  for (size_t i = 0; i < faces->size(); ++i) {
    const Face& f = (*faces)[i];
    EXPECT_EQ(f.index, static_cast<int>(i));
    EXPECT_GE(f.x, 0);
    EXPECT_LE(f.x + f.width, (*big)->width);
    EXPECT_LE(f.y + f.height, (*big)->height);
    if (i > 0) EXPECT_GE(f.x, (*faces)[i - 1].x);  // stable left-to-right numbering
    auto crop = store_.Get("faces", FaceName(people.hash, f.index), "jpg");
    ASSERT_TRUE(crop.ok()) << crop.status().ToString();
    vips::VImage image = vips::VImage::new_from_buffer(crop->data(), crop->size(), "");
    EXPECT_EQ(image.width(), image.height());
    EXPECT_LE(image.width(), FaceOptions().crop_size);
  }
  auto recipe = catalog_->FindVariant(people.id, kFacesKind);
  ASSERT_TRUE(recipe.ok() && recipe->has_value());
  EXPECT_EQ((*recipe)->bytes, 3);

  // No face is also a result, recorded so that the photo is not searched again.
  const Photo dogs = PhotoOf("dogs.jpg");
  EXPECT_TRUE(catalog_->FacesOfPhoto(dogs.id)->empty());
  EXPECT_TRUE(catalog_->FindVariant(dogs.id, kFacesKind)->has_value());
  EXPECT_EQ(Scan().unchanged, 2);
  EXPECT_EQ(Scan().variants_generated, 0);
}

TEST_F(ScannerFacesTest, TheSquareIsCentredOnTheFaces) {
  TESSERA_REQUIRE_CORPUS_FILE("faces/dlib__Tom_Cruise_avp_2014_4.jpg");
  Add("faces/dlib__Tom_Cruise_avp_2014_4.jpg", "portrait.jpg");
  ScanOptions no_faces;
  no_faces.faces.detect = false;
  Scan(no_faces);
  const Photo photo = PhotoOf("portrait.jpg");
  auto attention = store_.Get("square_thumbnails", photo.hash, "jpg");
  ASSERT_TRUE(attention.ok());
  EXPECT_FALSE(catalog_->FindVariant(photo.id, kFacesKind)->has_value());

  // Turning faces on is a change of settings: the squares are made again, around the faces.
  ScanReport r = Scan();
  EXPECT_EQ(r.variants_generated, 3);
  auto faces = catalog_->FacesOfPhoto(photo.id);
  ASSERT_TRUE(faces.ok());
  ASSERT_GE(faces->size(), 1u);
  auto centred = store_.Get("square_thumbnails", photo.hash, "jpg");
  ASSERT_TRUE(centred.ok());
  vips::VImage square = vips::VImage::new_from_buffer(centred->data(), centred->size(), "");
  EXPECT_EQ(square.width(), square.height());
  // The face, found again in the new square, sits near its middle.
  auto found = faces::DetectFaces(square);
  ASSERT_TRUE(found.ok());
  ASSERT_GE(found->size(), 1u);
  const faces::FaceBox& g = found->front();
  const double cx = (g.x + g.width / 2.0) / square.width();
  const double cy = (g.y + g.height / 2.0) / square.height();
  EXPECT_GT(cx, 0.25);
  EXPECT_LT(cx, 0.75);
  EXPECT_GT(cy, 0.15);
  EXPECT_LT(cy, 0.85);

  // A new square recipe alone: only that square is made again, and still around the face
  // (the big image is made for the faces but not stored again).
  const std::string big_path = store_.PathFor("thumbnails_big", photo.hash, "jpg");
  const auto big_mtime = fs::last_write_time(big_path);
  ScanOptions squares;
  ASSERT_TRUE(ApplyVariantSetting(squares.variants, "square_thumbnails=jpg:70").ok());
  ScanReport again = Scan(squares);
  EXPECT_EQ(again.variants_generated, 1);
  EXPECT_EQ(fs::last_write_time(big_path), big_mtime);
  auto redone = store_.Get("square_thumbnails", photo.hash, "jpg");
  ASSERT_TRUE(redone.ok());
  vips::VImage square2 = vips::VImage::new_from_buffer(redone->data(), redone->size(), "");
  auto found2 = faces::DetectFaces(square2);
  ASSERT_TRUE(found2.ok());
  ASSERT_GE(found2->size(), 1u);
  const double cx2 = (found2->front().x + found2->front().width / 2.0) / square2.width();
  EXPECT_GT(cx2, 0.25);
  EXPECT_LT(cx2, 0.75);
}

TEST_F(ScannerFacesTest, PlaceholdersAndCaptureDates) {
  TESSERA_REQUIRE_CORPUS_FILE("orientation/orientation-6.jpg");
  Add("orientation/orientation-6.jpg", "rotated.jpg");
  ScanOptions options;
  options.faces.detect = false;
  Scan(options);
  const Photo photo = PhotoOf("rotated.jpg");
  ASSERT_FALSE(photo.meta.placeholder.empty());
  gsize length = 0;
  guchar* raw = g_base64_decode(photo.meta.placeholder.c_str(), &length);
  std::vector<uint8_t> hash(raw, raw + length);
  g_free(raw);
  auto decoded = placeholder::ThumbHashToRgba(hash);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  // The placeholder has the photo's displayed (oriented) shape.
  EXPECT_EQ(decoded->width > decoded->height, photo.meta.width > photo.meta.height);
  EXPECT_GT(photo.meta.taken_at, 0);
}

TEST_F(ScannerFacesTest, AnInterruptedScanResumesFromTheQueue) {
  TESSERA_REQUIRE_CORPUS_FILE("photos/kphotoalbum__bar55.jpg");
  TESSERA_REQUIRE_CORPUS_FILE("photos/kphotoalbum__blackie.jpg");
  TESSERA_REQUIRE_CORPUS_FILE("orientation/orientation-6.jpg");
  Add("photos/kphotoalbum__bar55.jpg", "a.jpg");
  Add("photos/kphotoalbum__blackie.jpg", "b.jpg");
  Add("orientation/orientation-6.jpg", "c.jpg");
  std::atomic<bool> cancel{false};
  ScanOptions options;
  options.faces.detect = false;
  options.cancel = &cancel;
  options.on_progress = [&](const ScanProgress&) { cancel = true; };  // stop after one file
  Scanner scanner(*catalog_, engine_, store_, options);
  auto stopped = scanner.Scan(library_);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.status().code(), StatusCode::kAborted);
  EXPECT_EQ(catalog_->CountJobs(library_.id, std::time(nullptr))->pending, 2);

  // A job a dead worker held under a lease is taken back by the same worker name.
  auto held = catalog_->ClaimJob(library_.id, "crashed", 1, 1'000'000'000'000);
  ASSERT_TRUE(held.ok() && held->has_value());
  ASSERT_TRUE(catalog_->ReleaseClaims("crashed").ok());

  ScanOptions again;
  again.faces.detect = false;
  ScanReport r = Scan(again);
  EXPECT_EQ(r.new_photos, 2);
  EXPECT_EQ(r.unchanged, 1);
  EXPECT_EQ(catalog_->CountJobs(library_.id, std::time(nullptr))->pending, 0);
  for (const char* rel : {"a.jpg", "b.jpg", "c.jpg"}) {
    auto file = catalog_->FindFile(library_.id, rel);
    ASSERT_TRUE(file.ok() && file->has_value()) << rel;
  }
}

}  // namespace
}  // namespace tessera::library
