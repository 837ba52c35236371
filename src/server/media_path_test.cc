// The media URL parser: every seed path shape accepted, everything else (path tricks,
// malformed hashes, extra segments) refused before any lookup.
#include "src/server/media_path.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::server {
namespace {

const std::string kHash(64, 'a');
const std::string kHash2 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

TEST(MediaPathTest, TheSeedsSixShapes) {
  auto big = ParseMediaPath("/media/thumbnails_big/" + kHash2);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->kind, MediaKind::kBig);
  EXPECT_EQ(big->hash, kHash2);
  EXPECT_EQ(ParseMediaPath("/media/square_thumbnails/" + kHash)->kind, MediaKind::kSquare);
  EXPECT_EQ(ParseMediaPath("/media/small_square_thumbnails/" + kHash)->kind,
            MediaKind::kSmallSquare);
  EXPECT_EQ(ParseMediaPath("/media/square_thumbnails_small/" + kHash)->kind,
            MediaKind::kSmallSquare);
  EXPECT_EQ(ParseMediaPath("/media/photos/" + kHash)->kind, MediaKind::kOriginal);
  auto face = ParseMediaPath("/media/faces/" + kHash2 + "_12.jpg");
  ASSERT_TRUE(face);
  EXPECT_EQ(face->kind, MediaKind::kFace);
  EXPECT_EQ(face->hash, kHash2);
  EXPECT_EQ(face->face_index, 12);
  EXPECT_EQ(ParseMediaPath("/media/faces/" + kHash + "_0.jpg")->face_index, 0);
  auto avatar = ParseMediaPath("/media/avatars/Annaavatar_" + kHash2 + ".png");
  ASSERT_TRUE(avatar);
  EXPECT_EQ(avatar->kind, MediaKind::kAvatar);
  EXPECT_EQ(avatar->first_name, "Anna");
  EXPECT_EQ(avatar->hash, kHash2);
  EXPECT_EQ(ParseMediaPath("/media/avatars/avatar_" + kHash + ".png")->first_name, "");
}

TEST(MediaPathTest, MalformedHashesAreRefused) {
  for (const std::string& bad :
       {std::string(63, 'a'), std::string(65, 'a'), std::string(64, 'A'), std::string(64, 'g'),
        kHash.substr(0, 62) + "..", std::string("")}) {
    EXPECT_FALSE(ParseMediaPath("/media/thumbnails_big/" + bad)) << bad;
    EXPECT_FALSE(ParseMediaPath("/media/faces/" + bad + "_1.jpg")) << bad;
  }
}

TEST(MediaPathTest, PathTricksAndOtherShapesAreRefused) {
  const std::vector<std::string> paths = {
      "/media/thumbnails_big/" + kHash + "/",
      "/media/thumbnails_big/" + kHash + "/x",
      "/media/thumbnails_big//" + kHash,
      "/media/../etc/passwd",
      "/media/thumbnails_big/..%2f..%2fetc%2fpasswd",
      "/media/thumbnails_big/%2e%2e",
      "/media/unknown/" + kHash,
      "/media/thumbnails_big",
      "/media/",
      "/mediax/thumbnails_big/" + kHash,
      "media/thumbnails_big/" + kHash,
      "/media/faces/" + kHash + "_.jpg",
      "/media/faces/" + kHash + "_01.jpg",
      "/media/faces/" + kHash + "_-1.jpg",
      "/media/faces/" + kHash + "_1.png",
      "/media/faces/" + kHash + "_9999999.jpg",
      "/media/avatars/" + kHash + ".png",
      "/media/avatars/a b avatar_" + kHash + ".png",
      "/media/avatars/..avatar_" + kHash + ".png",
      "/media/avatars/Annaavatar_" + kHash + ".jpg",
  };
  for (const std::string& path : paths) {
    EXPECT_FALSE(ParseMediaPath(path)) << path;
  }
}

TEST(MediaPathTest, UrlSafeFirstNames) {
  EXPECT_EQ(UrlSafeFirstName("Anna"), "Anna");
  EXPECT_EQ(UrlSafeFirstName("Jean-Luc O'Neil"), "Jean-LucONeil");
  EXPECT_EQ(UrlSafeFirstName("Zoë"), "Zo");
  EXPECT_EQ(UrlSafeFirstName("../"), "user");
  EXPECT_EQ(UrlSafeFirstName(""), "user");
}

}  // namespace
}  // namespace tessera::server
