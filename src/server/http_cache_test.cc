// Conditional and partial requests, as pure functions.
#include "src/server/http_cache.h"

#include <gtest/gtest.h>

namespace tessera::server {
namespace {

TEST(HttpCacheTest, IfNoneMatch) {
  const std::string etag = MakeETag("abc-big-1");
  EXPECT_EQ(etag, "\"abc-big-1\"");
  EXPECT_TRUE(IfNoneMatchHits("\"abc-big-1\"", etag));
  EXPECT_TRUE(IfNoneMatchHits("\"x\", W/\"abc-big-1\"", etag));
  EXPECT_TRUE(IfNoneMatchHits(" * ", etag));
  EXPECT_FALSE(IfNoneMatchHits("\"abc-big-2\"", etag));
  EXPECT_FALSE(IfNoneMatchHits("", etag));
  EXPECT_FALSE(IfNoneMatchHits("abc-big-1", etag)) << "unquoted tags do not match";
}

TEST(HttpCacheTest, SingleRanges) {
  ByteRange r;
  ASSERT_EQ(ParseRange("bytes=0-99", 1000, &r), RangeVerdict::kPartial);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 99u);
  EXPECT_EQ(r.length(), 100u);
  EXPECT_EQ(ContentRange(r, 1000), "bytes 0-99/1000");
  ASSERT_EQ(ParseRange("bytes=900-", 1000, &r), RangeVerdict::kPartial);
  EXPECT_EQ(r.last, 999u);
  ASSERT_EQ(ParseRange("bytes=-100", 1000, &r), RangeVerdict::kPartial);
  EXPECT_EQ(r.first, 900u);
  ASSERT_EQ(ParseRange("bytes=-5000", 1000, &r), RangeVerdict::kPartial);
  EXPECT_EQ(r.first, 0u);
  ASSERT_EQ(ParseRange("bytes=500-5000", 1000, &r), RangeVerdict::kPartial);
  EXPECT_EQ(r.last, 999u) << "clamped to the end";
}

TEST(HttpCacheTest, UnsatisfiableAndIgnoredRanges) {
  ByteRange r;
  EXPECT_EQ(ParseRange("bytes=1000-", 1000, &r), RangeVerdict::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=-0", 1000, &r), RangeVerdict::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=0-", 0, &r), RangeVerdict::kUnsatisfiable);
  EXPECT_EQ(ParseRange("", 1000, &r), RangeVerdict::kWhole);
  EXPECT_EQ(ParseRange("items=0-1", 1000, &r), RangeVerdict::kWhole);
  EXPECT_EQ(ParseRange("bytes=0-1,5-6", 1000, &r), RangeVerdict::kWhole);
  EXPECT_EQ(ParseRange("bytes=5-1", 1000, &r), RangeVerdict::kWhole);
  EXPECT_EQ(ParseRange("bytes=a-b", 1000, &r), RangeVerdict::kWhole);
  EXPECT_EQ(ParseRange("bytes=-", 1000, &r), RangeVerdict::kWhole);
  EXPECT_EQ(ParseRange("bytes=99999999999999999999999-", 1000, &r), RangeVerdict::kWhole);
}

TEST(HttpCacheTest, HttpDateIsImfFixdate) {
  EXPECT_EQ(HttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(HttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

}  // namespace
}  // namespace tessera::server
