#include "src/media/exif_date.h"

#include <gtest/gtest.h>

#include "src/core/test_corpus.h"

namespace tessera::media {
namespace {

TEST(ExifDateTest, ParsesTheExifForm) {
  EXPECT_EQ(ParseExifDate("2019:12:24 23:48:46"), 1577231326);
  EXPECT_EQ(ParseExifDate(std::string_view("1970:01:01 00:00:00\0", 20)), 0);
  for (const char* bad : {"", "    :  :     :  :  ", "0000:00:00 00:00:00", "2019-12-24 23:48:46",
                          "2019:13:24 23:48:46", "2019:12:24T23:48:46", "2019:12:24 25:00:00"}) {
    EXPECT_FALSE(ParseExifDate(bad).has_value()) << bad;
  }
}

TEST(ExifDateTest, ReadsACameraJpeg) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/truncated-40pct__IMG_20191224_234846.jpg");
  const std::string path =
      tessera::testing::CorpusPath("bad/truncated-40pct__IMG_20191224_234846.jpg");
  std::optional<int64_t> taken = TakenAt(path, "image/jpeg");
  ASSERT_TRUE(taken.has_value());
  // The phone names the file after the moment of the shot, as vipsheader shows it.
  EXPECT_EQ(*taken, *ParseExifDate("2019:12:24 23:48:46"));
  EXPECT_FALSE(TakenAt(path, "image/png").has_value());
}

}  // namespace
}  // namespace tessera::media
