// Sniffing and header reads on the real corpus, through the public Engine::Probe.
#include <gtest/gtest.h>

#include <string>

#include "src/core/test_corpus.h"
#include "tessera/engine.h"

namespace tessera {
namespace {

using testing::CorpusPath;

struct Expected {
  const char* file;
  const char* mime;
  const char* family;
};

TEST(ProbeTest, EachFormatGroupGivesItsMimeAndFamily) {
  TESSERA_REQUIRE_CORPUS_FILE("photos");
  const Expected cases[] = {
      {"photos/mate__Storm.jpg", "image/jpeg", "jpeg"},
      {"png/photo__imageio__chelsea.png", "image/png", "png"},
      {"webp/lossless-alpha__derived__flower_alpha.webp", "image/webp", "webp"},
      {"gif/static__derived__YellowFlower.gif", "image/gif", "gif"},
      {"heif/heic-alpha__derived__flower_alpha.heic", "image/heif", "heif"},
      {"heif/avif-8bit__derived__TwoWings.avif", "image/avif", "heif"},
      {"jxl/splines__libjxl.jxl", "image/jxl", "jxl"},
      {"tiff/lzw-rgb__derived__Garden.tif", "image/tiff", "tiff"},
      {"svg/gnome__blobs-l.svg", "image/svg+xml", "svg"},
      {"pdf/forensics__d-text.pdf", "application/pdf", "pdf"},
      {"bad/wrong-ext-jpeg-named.png", "image/jpeg", "jpeg"},
      {"bad/wrong-ext-png-named.jpg", "image/png", "png"},
  };
  const Engine engine;
  for (const Expected& c : cases) {
    SCOPED_TRACE(c.file);
    if (!testing::PathExists(CorpusPath(c.file))) continue;
    auto probe = engine.Probe(CorpusPath(c.file));
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    EXPECT_EQ(probe->mime_type, c.mime);
    EXPECT_EQ(probe->format, c.family);
    EXPECT_GT(probe->width, 0);
    EXPECT_GT(probe->height, 0);
  }
}

// The content decides, not the name: an MP4 named .jpg is probed as the video it is (by the
// video decoder, in a helper).
TEST(ProbeTest, Mp4NamedJpgIsProbedAsAVideo) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/wrong-ext-mp4-named.jpg");
  const std::string path = CorpusPath("bad/wrong-ext-mp4-named.jpg");
  auto probe = Engine().Probe(path);
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->mime_type, "video/mp4");
  EXPECT_EQ(probe->format, "video");
  EXPECT_GT(probe->width, 0);
  EXPECT_GT(probe->duration_seconds, 0.5);
}

TEST(ProbeTest, HeaderFields) {
  TESSERA_REQUIRE_CORPUS_FILE("orientation/orientation-6.jpg");
  const Engine engine;
  auto o6 = engine.Probe(CorpusPath("orientation/orientation-6.jpg"));
  ASSERT_TRUE(o6.ok());
  EXPECT_EQ(o6->width, 800);
  EXPECT_EQ(o6->height, 1200);
  EXPECT_EQ(o6->orientation, 6);
  EXPECT_EQ(o6->OrientedWidth(), 1200);
  EXPECT_EQ(o6->bands, 3);
  EXPECT_EQ(o6->interpretation, "srgb");
  EXPECT_GT(o6->file_size, 0u);

  auto png16 = engine.Probe(CorpusPath("png/16bit-rgb__derived__Storm.png"));
  ASSERT_TRUE(png16.ok());
  EXPECT_EQ(png16->bits_per_sample, 16);
  EXPECT_EQ(png16->interpretation, "rgb16");

  auto alpha = engine.Probe(CorpusPath("png/alpha-photo__libjxl__flower_alpha.png"));
  ASSERT_TRUE(alpha.ok());
  EXPECT_TRUE(alpha->has_alpha);
  EXPECT_EQ(alpha->bands, 4);

  auto p3 = engine.Probe(CorpusPath("jpeg-variants/icc-display-p3.jpg"));
  ASSERT_TRUE(p3.ok());
  EXPECT_TRUE(p3->has_icc_profile);

  auto cmyk = engine.Probe(CorpusPath("jpeg-variants/cmyk-adobe-ycck-no-icc.jpg"));
  ASSERT_TRUE(cmyk.ok());
  EXPECT_EQ(cmyk->interpretation, "cmyk");
  EXPECT_FALSE(cmyk->has_alpha);

  auto svg = engine.Probe(CorpusPath("svg/gnome__blobs-l.svg"));
  ASSERT_TRUE(svg.ok());
  EXPECT_TRUE(svg->is_vector);

  auto pdf = engine.Probe(CorpusPath("pdf/2-pages__forensics__a-text.pdf"));
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(pdf->pages, 2);
  EXPECT_TRUE(pdf->is_vector);

  auto tiff = engine.Probe(CorpusPath("tiff/multipage-3__derived__mate.tif"));
  ASSERT_TRUE(tiff.ok());
  EXPECT_EQ(tiff->pages, 3);
}

// libheif applies irot itself; EXIF orientation is never reported for HEIF.
TEST(ProbeTest, HeifOrientationIsAlwaysOne) {
  TESSERA_REQUIRE_CORPUS_FILE("heif");
  for (const char* file : {"heif/heic-stale-exif-orientation-3__derived__IMG_20200124_231153.heic",
                           "heif/heic-12MP-exif-gps__derived__IMG_20191224_234846.heic",
                           "heif/avif-12MP-exif__derived__IMG_20200608_111614.avif"}) {
    SCOPED_TRACE(file);
    auto probe = Engine().Probe(CorpusPath(file));
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    EXPECT_EQ(probe->orientation, 1);
  }
}

}  // namespace
}  // namespace tessera
