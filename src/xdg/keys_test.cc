#include <gtest/gtest.h>

#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

TEST(KeysTest, WritesTheStandardKeysInOrder) {
  Original original{"/p/a b.pdf", "file:///p/a%20b.pdf", 1700000000, 1234, 0100644, 5};
  ThumbMeta meta{"application/pdf", 595, 842, 3, 0};
  PngText keys = ThumbKeys(original, meta);
  EXPECT_EQ(keys, (PngText{{"Thumb::URI", "file:///p/a%20b.pdf"},
                           {"Thumb::MTime", "1700000000"},
                           {"Thumb::Size", "1234"},
                           {"Thumb::Mimetype", "application/pdf"},
                           {"Thumb::Image::Width", "595"},
                           {"Thumb::Image::Height", "842"},
                           {"Thumb::Document::Pages", "3"},
                           {"Software", "tessera " TESSERA_VERSION}}));
}

TEST(KeysTest, OmitsUnknownsAndWritesMovieLength) {
  Original original{"/p/m.mp4", "file:///p/m.mp4", 42, 7, 0100644};
  ThumbMeta meta;
  meta.movie_length = 61.6;
  PngText keys = ThumbKeys(original, meta);
  EXPECT_EQ(keys, (PngText{{"Thumb::URI", "file:///p/m.mp4"},
                           {"Thumb::MTime", "42"},
                           {"Thumb::Size", "7"},
                           {"Thumb::Movie::Length", "62"},
                           {"Software", "tessera " TESSERA_VERSION}}));
}

TEST(KeysTest, ParsesMTimeTolerantly) {
  EXPECT_EQ(ParseMTime("1700000000"), 1700000000);
  EXPECT_EQ(ParseMTime("1700000000.123456"), 1700000000);  // tumbler
  EXPECT_EQ(ParseMTime("1700000000."), 1700000000);
  EXPECT_EQ(ParseMTime("-5"), -5);
  EXPECT_EQ(ParseMTime(""), std::nullopt);
  EXPECT_EQ(ParseMTime("abc"), std::nullopt);
  EXPECT_EQ(ParseMTime("12x"), std::nullopt);
  EXPECT_EQ(ParseMTime("12.3x"), std::nullopt);
  EXPECT_EQ(ParseMTime(".5"), std::nullopt);
  EXPECT_EQ(ParseMTime("+5"), std::nullopt);
  EXPECT_EQ(ParseMTime("99999999999999999999999"), std::nullopt);
}

}  // namespace
}  // namespace tessera::xdg
