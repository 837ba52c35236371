// `tessera worker`: another process (on another host, with a shared catalog) takes the files a
// scan queued, makes their variants, and the scanning side finds them done.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/core/test_corpus.h"
#include "src/library/sqlite_catalog.h"
#include "tests/support/catalog_reader.h"
#include "tests/support/image_check.h"
#include "tests/support/media_server_fixture.h"

namespace tessera::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kPhotos[] = {"photos/kphotoalbum__donna.jpg", "orientation/orientation-3.jpg",
                                   "photos/mate__Dune.jpg"};

class MediaServerWorkerTest : public MediaServerFixture {};

TEST_F(MediaServerWorkerTest, AWorkerProcessMakesWhatTheScanQueued) {
  for (const char* corpus : kPhotos) TESSERA_REQUIRE_CORPUS_FILE(corpus);
  // Register the (empty) library and its owner, as the serving host does.
  ProcessResult first =
      Tessera({"scan", "--data", data(), "--library", library(), "--user", kOwner, "--no-faces"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::vector<std::string> hashes;
  {
    // What a walk on the serving host leaves for the workers: the files, queued.
    auto opened = library::OpenSqliteCatalog(catalog());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    auto libraries = (*opened)->Libraries(std::nullopt);
    ASSERT_TRUE(libraries.ok() && libraries->size() == 1u);
    for (const char* corpus : kPhotos) {
      const std::string name = std::string(corpus).substr(std::string(corpus).find('/') + 1);
      hashes.push_back(B2Sum(AddToLibrary(corpus, name)));
      ASSERT_TRUE((*opened)->EnqueueJob((*libraries)[0].id, name, 1).ok());
    }
  }
  ProcessResult worker = Tessera({"worker", "--data", data(), "--once", "--no-faces", "--workers",
                                  "2", "--worker-id", "host-b"});
  ASSERT_EQ(worker.exit_code, 0) << worker.err;
  EXPECT_THAT(worker.err, HasSubstr("3 new photos, 9 variants made, 0 failed"));
  for (const std::string& hash : hashes) {
    SCOPED_TRACE(hash);
    for (const char* kind : kVariantKinds) {
      Result<DecodedImage> image = DecodeFileFully(StorePath(kind, hash, "jpg"));
      EXPECT_TRUE(image.ok()) << kind << ": " << image.status().ToString();
    }
  }
  Result<std::vector<Row>> queued = QueryCatalog(catalog(), "SELECT count(*) FROM jobs");
  ASSERT_TRUE(queued.ok());
  EXPECT_EQ((*queued)[0][0], "0");
  // The serving host's next scan: everything is there, nothing to redo, nothing removed.
  ProcessResult rescan = Tessera({"scan", "--data", data(), "--no-faces"});
  ASSERT_EQ(rescan.exit_code, 0) << rescan.err;
  EXPECT_THAT(rescan.err, HasSubstr("3 files, 3 unchanged, 0 new photos, 0 variants made"));
  EXPECT_THAT(rescan.err, HasSubstr("0 removed"));
}

}  // namespace
}  // namespace tessera::testing
