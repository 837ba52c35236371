#include "src/decoders/raw_tiff.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"

namespace tessera::decoders {
namespace {

constexpr char kSyntheticDng[] = "raw/synthetic-bayer-rggb-2400x1600__derived__Storm.dng";
constexpr char kRealDng[] = "/work/shared/corpus/extra/real-canon-eos-6d.dng";

TEST(RawTiffTest, SingleStripDngEndsAtItsRawData) {
  TESSERA_REQUIRE_CORPUS_FILE(kSyntheticDng);
  const std::string bytes = testing::ReadFile(testing::CorpusPath(kSyntheticDng));
  EXPECT_EQ(TiffDataExtent(bytes), bytes.size());  // one strip of 2400x1600x2 bytes, last
  EXPECT_GT(TiffDataExtent(bytes.substr(0, bytes.size() - 1)), bytes.size() - 1);
}

TEST(RawTiffTest, TiledDngReachesItsLastTile) {
  if (!testing::PathExists(kRealDng)) GTEST_SKIP() << "missing " << kRealDng;
  const std::string bytes = testing::ReadFile(kRealDng);
  EXPECT_EQ(TiffDataExtent(bytes), 388546u + 23397u);  // TileOffsets[5] + TileByteCounts[5]
  // Cut after the preview (which ends at 203485) but inside the tiles.
  const std::string cut = bytes.substr(0, bytes.size() * 3 / 4);
  EXPECT_GT(TiffDataExtent(cut), cut.size());
}

TEST(RawTiffTest, NotTiffIsZero) {
  EXPECT_EQ(TiffDataExtent(""), 0u);
  EXPECT_EQ(TiffDataExtent("II*"), 0u);
  EXPECT_EQ(TiffDataExtent(std::string("\xff\xd8\xff\xe0 JFIF", 10)), 0u);
  EXPECT_EQ(TiffDataExtent(std::string("II\x2a\x00\x00\x00\x00\x00", 8)), 0u);  // no IFD
  // An IFD pointer past the end: the file was cut before it.
  EXPECT_GT(TiffDataExtent(std::string("MM\x00\x2a\x00\x00\x10\x00", 8)), 8u);
}

// Random damage anywhere in the header never reads out of bounds (run under ASan to be sure).
TEST(RawTiffTest, DamagedTablesNeverCrash) {
  TESSERA_REQUIRE_CORPUS_FILE(kSyntheticDng);
  const std::string original =
      testing::ReadFile(testing::CorpusPath(kSyntheticDng)).substr(0, 200000);
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes = original;
    for (int i = 0; i < 8; ++i) bytes[rng() % 800] = static_cast<char>(rng());
    bytes.resize(rng() % 2 ? bytes.size() : rng() % 800);
    (void)TiffDataExtent(bytes);
  }
}

}  // namespace
}  // namespace tessera::decoders
