#include "src/decoders/magick.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "src/decoders/magick_plus.h"
#include "src/media/sniff.h"
#include "src/pipeline/plan.h"
#include "src/pipeline/resize.h"

namespace tessera::decoders {
namespace {

using vips::VImage;

constexpr char kPhoto[] = "photos/mate__Storm.jpg";
constexpr char kConvert[] = "/usr/bin/convert";

bool Shell(const std::string& command) {
  return std::system((command + " 2>/dev/null").c_str()) == 0;
}

MinSizeFn Box(int edge) {
  return [edge](const ProbeInfo& up) {
    return pipeline::FitInside(Size{up.width, up.height}, edge, edge);
  };
}

Size SizeOf(const VImage& image) { return Size{image.width(), image.height()}; }

// A PNG as libvips reads it, 8-bit sRGB, RGB or RGBA.
VImage LoadPng(const std::string& path) {
  VImage image = VImage::pngload(path.c_str());
  if (image.interpretation() != VIPS_INTERPRETATION_sRGB) {
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  return image.cast(VIPS_FORMAT_UCHAR);
}

// Mean R, G, B weighted by alpha, and mean alpha (255 for opaque images).
std::array<double, 4> Means(const VImage& image) {
  const VImage f = image.cast(VIPS_FORMAT_DOUBLE);
  std::array<double, 4> m = {0, 0, 0, 255};
  if (image.bands() == 4) {
    const VImage alpha = f.extract_band(3);
    m[3] = alpha.avg();
    for (int b = 0; b < 3; ++b) m[b] = m[3] > 0 ? (f.extract_band(b) * alpha).avg() / m[3] : 0;
  } else {
    for (int b = 0; b < 3; ++b) m[b] = f.extract_band(b).avg();
  }
  return m;
}

double MaxMeanDiff(const VImage& a, const VImage& b) {
  const auto ma = Means(a), mb = Means(b);
  double d = 0;
  for (int i = 0; i < 4; ++i) d = std::max(d, std::abs(ma[i] - mb[i]));
  return d;
}

// Mean absolute difference after flattening onto grey and resizing both to `size`.
double Mad(const VImage& a, const VImage& b, Size size = Size{40, 30}) {
  auto prepare = [&](VImage x) {
    if (x.bands() == 4) {
      x = x.flatten(VImage::option()->set("background", std::vector<double>{128, 128, 128}));
    }
    return pipeline::ResizeExact(x, size, "lanczos3").cast(VIPS_FORMAT_FLOAT);
  };
  return (prepare(a) - prepare(b)).abs().avg();
}

// Big-endian writer for the hand-made XCF below.
struct Writer {
  std::string data;
  size_t pos() const { return data.size(); }
  void U32(uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) data.push_back(static_cast<char>(v >> s));
  }
  void Patch(size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) data[at + i] = static_cast<char>(v >> (24 - 8 * i));
  }
  void Prop(uint32_t type, std::vector<uint32_t> payload) {
    U32(type);
    U32(static_cast<uint32_t>(4 * payload.size()));
    for (uint32_t v : payload) U32(v);
  }
};

using PixelFn = std::function<std::array<uint8_t, 4>(int x, int y)>;

// One RGBA layer of an uncompressed XCF: header, properties, hierarchy, level, 64x64 tiles.
void WriteLayer(Writer& w, int width, int height, int x, int y, const std::string& name,
                const PixelFn& pixel) {
  w.U32(width), w.U32(height), w.U32(1);  // RGBA
  w.U32(static_cast<uint32_t>(name.size() + 1));
  w.data += name + '\0';
  w.Prop(15, {static_cast<uint32_t>(x), static_cast<uint32_t>(y)});  // PROP_OFFSETS
  w.Prop(8, {1});                                                    // PROP_VISIBLE
  w.Prop(6, {255});                                                  // PROP_OPACITY
  w.Prop(0, {});                                                     // PROP_END
  const size_t hierarchy = w.pos();
  w.U32(0), w.U32(0);  // hierarchy, no mask
  w.Patch(hierarchy, static_cast<uint32_t>(w.pos()));
  w.U32(width), w.U32(height), w.U32(4);
  const size_t level = w.pos();
  w.U32(0), w.U32(0);
  w.Patch(level, static_cast<uint32_t>(w.pos()));
  w.U32(width), w.U32(height);
  std::vector<std::array<int, 2>> tiles;
  for (int ty = 0; ty < height; ty += 64) {
    for (int tx = 0; tx < width; tx += 64) tiles.push_back({tx, ty});
  }
  const size_t table = w.pos();
  for (size_t i = 0; i <= tiles.size(); ++i) w.U32(0);
  for (size_t i = 0; i < tiles.size(); ++i) {
    w.Patch(table + 4 * i, static_cast<uint32_t>(w.pos()));
    for (int py = tiles[i][1]; py < std::min(tiles[i][1] + 64, height); ++py) {
      for (int px = tiles[i][0]; px < std::min(tiles[i][0] + 64, width); ++px) {
        for (uint8_t c : pixel(px, py)) w.data.push_back(static_cast<char>(c));
      }
    }
  }
}

// gimp is not installed here, so the XCF is written by hand (XCF version 0, no compression):
// a 96x64 canvas; layers listed top first: an opaque blue 32x24 square at (10, 8) over an
// 80x64 red-to-orange gradient at (0, 0). Right of x = 80 the canvas is empty.
std::string MakeXcf() {
  Writer w;
  w.data = std::string("gimp xcf file\0", 14);
  w.U32(96), w.U32(64), w.U32(0);               // RGB
  w.U32(17), w.U32(1), w.data.push_back('\0');  // PROP_COMPRESSION: none
  w.Prop(0, {});
  const size_t layers = w.pos();
  w.U32(0), w.U32(0), w.U32(0);  // two layer pointers and the end of the list
  w.U32(0);                      // no channels
  w.Patch(layers, static_cast<uint32_t>(w.pos()));
  WriteLayer(w, 32, 24, 10, 8, "top", [](int, int) {
    return std::array<uint8_t, 4>{0, 0, 255, 255};
  });
  w.Patch(layers + 4, static_cast<uint32_t>(w.pos()));
  WriteLayer(w, 80, 64, 0, 0, "bottom", [](int, int y) {
    return std::array<uint8_t, 4>{255, static_cast<uint8_t>(2 * y), 0, 255};
  });
  // ImageMagick reads up to 24 KiB past the last tile's start whatever its size.
  w.data.append(24576, '\0');
  return w.data;
}

class MagickTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitEngineRuntime().ok());
    ASSERT_TRUE(InitMagick().ok());
    if (!testing::PathExists(kConvert)) GTEST_SKIP() << kConvert << " not found";
  }
  // The corpus photo at 320x240 and a 96x64 drawing with transparent and half-transparent
  // parts, as PNGs: the sources of every generated file.
  std::string Photo() {
    const std::string png = dir_ / "photo.png";
    if (!testing::PathExists(png)) {
      EXPECT_TRUE(Shell(std::string(kConvert) + " '" + testing::CorpusPath(kPhoto) +
                        "' -resize '320x240!' PNG24:" + png));
    }
    return png;
  }
  std::string Drawing() {
    const std::string png = dir_ / "drawing.png";
    if (!testing::PathExists(png)) {
      EXPECT_TRUE(Shell(std::string(kConvert) +
                        " -size 96x64 xc:none -fill red -draw 'circle 48,32 48,10'"
                        " -fill '#2080ff80' -draw 'rectangle 0,0 30,20' PNG32:" +
                        png));
    }
    return png;
  }
  // The drawing without antialiasing or half-transparency: ImageMagick writes a PSD's merged
  // image as it is but "unblends" it from white when reading, as Photoshop's files need, so
  // half-transparent colours do not survive its own round trip.
  std::string HardDrawing() {
    const std::string png = dir_ / "hard.png";
    if (!testing::PathExists(png)) {
      EXPECT_TRUE(Shell(std::string(kConvert) +
                        " -size 96x64 xc:none +antialias -fill red -draw 'circle 48,32 48,10'"
                        " -fill '#2080ff' -draw 'rectangle 0,0 30,20' PNG32:" +
                        png));
    }
    return png;
  }
  // Runs convert on `source`; `output` is "name" or "coder:name", written in the temp dir.
  std::string Convert(const std::string& source, const std::string& args,
                      const std::string& output) {
    const size_t colon = output.find(':');
    const std::string prefix = colon == std::string::npos ? "" : output.substr(0, colon + 1);
    const std::string path = dir_ / output.substr(colon == std::string::npos ? 0 : colon + 1);
    EXPECT_TRUE(
        Shell(std::string(kConvert) + " '" + source + "' " + args + " '" + prefix + path + "'"))
        << output;
    return path;
  }
  testing::TempDir dir_;
};

struct Format {
  std::string name;    // test parameter name
  std::string coder;   // forced coder
  std::string output;  // convert's output, e.g. "psd:out.psd"
  std::string args;    // convert options before the output
  bool alpha;          // made from the drawing (with alpha) instead of the photo
  std::string mime;    // what GIO sniffs from the content; "" when it cannot tell
  double mean_tolerance;
  double mad_tolerance;
  int orientation = 1;      // how the decoded image relates to the source (EXIF numbering)
  bool hard_edges = false;  // the drawing without half-transparent pixels
};

class MagickFormatTest : public MagickTest, public ::testing::WithParamInterface<Format> {};

TEST_P(MagickFormatTest, DecodesLikeTheSource) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  const Format& f = GetParam();
  const std::string source = f.alpha ? (f.hard_edges ? HardDrawing() : Drawing()) : Photo();
  const std::string file = Convert(source, f.args, f.output);
  const std::string bytes = testing::ReadFile(file);
  ASSERT_FALSE(bytes.empty());
  if (!f.mime.empty()) {
    const std::string sniffed = media::SniffContent(bytes).mime_type;
    EXPECT_EQ(sniffed, f.mime);
    EXPECT_EQ(MagickCoderForMime(sniffed), f.coder);
  }
  const VImage reference = pipeline::Orient(LoadPng(source), f.orientation);

  Result<ProbeInfo> probe = ProbeMagick(file, bytes, f.coder);
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->width, reference.width());
  EXPECT_EQ(probe->height, reference.height());
  EXPECT_EQ(probe->has_alpha, f.alpha);
  EXPECT_EQ(probe->format, "magick");

  // Large targets: the whole image, never enlarged.
  const auto start = std::chrono::steady_clock::now();
  Result<Decoded> full = DecodeMagick(file, bytes, f.coder, Box(1000));
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  std::printf("[ timing ] %-16s %7zu bytes: %6.2f ms\n", f.name.c_str(), bytes.size(), ms);
  EXPECT_EQ(SizeOf(full->image), SizeOf(reference));
  EXPECT_EQ(full->info.width, reference.width());
  EXPECT_EQ(full->info.height, reference.height());
  EXPECT_EQ(full->info.orientation, 1);
  EXPECT_EQ(full->image.bands(), f.alpha ? 4 : 3);
  EXPECT_EQ(full->image.format(), VIPS_FORMAT_UCHAR);
  EXPECT_EQ(full->image.interpretation(), VIPS_INTERPRETATION_sRGB);
  EXPECT_LT(MaxMeanDiff(full->image, reference), f.mean_tolerance);
  EXPECT_LT(Mad(full->image, reference), f.mad_tolerance);

  // Small targets: shrunk, still covering the minimum.
  Result<Decoded> small = DecodeMagick(file, bytes, f.coder, Box(40));
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  const Size min = Box(40)(small->info);
  EXPECT_TRUE(SizeOf(small->image).Covers(min));
  EXPECT_LE(small->image.width(), 2 * min.width + 1);
  EXPECT_LE(std::abs(small->image.width() * reference.height() -
                     small->image.height() * reference.width()),
            reference.width());  // the aspect, to a pixel
  EXPECT_LT(MaxMeanDiff(small->image, reference), f.mean_tolerance + 2);
  EXPECT_LT(Mad(small->image, reference, Size{16, 12}), f.mad_tolerance + 2);
}

INSTANTIATE_TEST_SUITE_P(
    MagickFormats, MagickFormatTest,
    ::testing::Values(
        Format{"PSD", "PSD", "psd:a.psd", "", false, "image/vnd.adobe.photoshop", 1, 1.5},
        Format{"PSD_alpha", "PSD", "psd:b.psd", "", true, "image/vnd.adobe.photoshop", 1, 1.5, 1,
               true},
        // ImageMagick writes TGA rows top-down but marks them bottom-up (gdk-pixbuf shows
        // such files upside down too); told the origin, it writes a correct file.
        Format{"TGA", "TGA", "tga:a.tga", "-orient top-left", false, "image/x-tga", 1, 1.5},
        Format{"TGA_bottom_up", "TGA", "tga:b.tga", "", false, "image/x-tga", 1, 1.5, 4},
        Format{"TGA_alpha", "TGA", "tga:c.tga", "-orient top-left", true, "image/x-tga", 1, 1.5},
        Format{"PCX", "PCX", "pcx:a.pcx", "", false, "image/vnd.zbrush.pcx", 1, 1.5},
        Format{"DDS_DXT1", "DDS", "dds:a.dds", "", false, "image/x-dds", 3, 6},
        Format{"DDS_DXT5", "DDS", "dds:b.dds", "", true, "image/x-dds", 4, 8},
        Format{"SGI", "SGI", "sgi:a.sgi", "", false, "", 1, 1.5},
        Format{"SGI_alpha", "SGI", "sgi:b.sgi", "", true, "", 1, 1.5},
        Format{"SUN", "SUN", "sun:a.ras", "", false, "image/x-sun-raster", 1, 1.5},
        Format{"PPM", "PNM", "ppm:a.ppm", "", false, "image/x-portable-pixmap", 1, 1.5},
        Format{"BMP", "BMP", "bmp:a.bmp", "", false, "image/bmp", 1, 1.5},
        Format{"BMP_alpha", "BMP", "bmp:b.bmp", "", true, "image/bmp", 1, 1.5},
        Format{"XPM", "XPM", "xpm:a.xpm", "", false, "image/x-xpixmap", 3, 4},
        Format{"PICT", "PICT", "pict:a.pict", "", false, "image/x-pict", 2, 3},
        // DPX keeps an orientation field, which ImageMagick reports and we apply.
        Format{"DPX_rotated", "DPX", "dpx:a.dpx", "-orient right-top", false, "image/dpx", 1, 1.5,
               6}),
    [](const ::testing::TestParamInfo<Format>& info) { return info.param.name; });

TEST_F(MagickTest, IconPicksTheLargestEntry) {
  const std::string square = Convert(Drawing(), "-gravity center -extent 64x64", "square.png");
  const std::string ico = Convert(square, "-define icon:auto-resize=16,32,48", "icon.ico");
  const std::string bytes = testing::ReadFile(ico);
  EXPECT_EQ(MagickCoderForMime(media::SniffContent(bytes).mime_type), "ICO");
  Result<ProbeInfo> probe = ProbeMagick(ico, bytes, "ICO");
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->width, 48);
  EXPECT_EQ(probe->height, 48);
  EXPECT_EQ(probe->pages, 3);
  EXPECT_TRUE(probe->has_alpha);
  Result<Decoded> d = DecodeMagick(ico, bytes, "ICO", Box(256));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(SizeOf(d->image), (Size{48, 48}));
  EXPECT_EQ(d->image.bands(), 4);
  const VImage reference = LoadPng(Convert(square, "-resize 48x48", "ref48.png"));
  EXPECT_LT(MaxMeanDiff(d->image, reference), 3);
  EXPECT_LT(Mad(d->image, reference, Size{24, 24}), 4);
  Result<Decoded> small = DecodeMagick(ico, bytes, "ICO", Box(16));
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(SizeOf(small->image), (Size{16, 16}));  // the 48 px entry shrunk by 3
}

// Vista-style icons keep their 256 px entry as PNG: ImageMagick's policy must let the ICO
// coder call the PNG coder, though PNG is never a coder we choose.
TEST_F(MagickTest, IconWithAPngEntry) {
  const std::string square = Convert(Drawing(), "-gravity center -extent 64x64", "square.png");
  const std::string ico = Convert(square, "-define icon:auto-resize=256,32,16", "vista.ico");
  const std::string bytes = testing::ReadFile(ico);
  Result<Decoded> d = DecodeMagick(ico, bytes, "ICO", Box(512));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(SizeOf(d->image), (Size{256, 256}));
  EXPECT_EQ(d->info.pages, 3);
}

TEST_F(MagickTest, CursorReadsWithEitherIconCoder) {
  const std::string square = Convert(Drawing(), "-gravity center -extent 64x64", "square.png");
  const std::string cur = Convert(square, "-resize 32x32", "cur:pointer.cur");
  const std::string bytes = testing::ReadFile(cur);
  // Content alone makes GIO say "icon"; the extension would say image/x-win-bitmap.
  EXPECT_EQ(MagickCoderForMime(media::SniffContent(bytes).mime_type), "ICO");
  EXPECT_EQ(MagickCoderForMime("image/x-win-bitmap"), "CUR");
  for (const char* coder : {"ICO", "CUR"}) {
    Result<Decoded> d = DecodeMagick(cur, bytes, coder, Box(256));
    ASSERT_TRUE(d.ok()) << coder << ": " << d.status().ToString();
    EXPECT_EQ(SizeOf(d->image), (Size{32, 32})) << coder;
    EXPECT_EQ(d->image.bands(), 4) << coder;
  }
}

TEST_F(MagickTest, XcfLayersAreFlattenedOntoTransparency) {
  std::string bytes;
  std::string path = dir_ / "layers.xcf";
  if (std::system("command -v gimp > /dev/null 2>&1") == 0) {
    std::printf(
        "[ note ] gimp found, but the hand-made XCF is used so the expected pixels are known\n");
  } else {
    std::printf(
        "[ note ] gimp is not on PATH: testing a hand-made XCF (version 0, uncompressed)\n");
  }
  bytes = MakeXcf();
  testing::WriteFile(path, bytes);
  Result<ProbeInfo> probe = ProbeMagick(path, bytes, "XCF");
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->width, 96);
  EXPECT_EQ(probe->height, 64);
  EXPECT_TRUE(probe->has_alpha);
  Result<Decoded> d = DecodeMagick(path, bytes, "XCF", Box(256));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(SizeOf(d->image), (Size{96, 64}));
  ASSERT_EQ(d->image.bands(), 4);
  auto pixel = [&](int x, int y) { return d->image.getpoint(x, y); };
  EXPECT_EQ(pixel(2, 2), (std::vector<double>{255, 4, 0, 255}));    // the bottom layer
  EXPECT_EQ(pixel(15, 12), (std::vector<double>{0, 0, 255, 255}));  // the top layer
  EXPECT_EQ(pixel(90, 5)[3], 0);                                    // no layer: transparent
  EXPECT_EQ(pixel(50, 60), (std::vector<double>{255, 120, 0, 255}));
}

// PSDs with embedded profiles (ProPhoto RGB; CMYK with its press profile) are converted to
// sRGB through them (lcms, inside ImageMagick), as libvips converts the JPEGs they came from.
TEST_F(MagickTest, EmbeddedProfilesAreConvertedToSrgb) {
  for (const std::string source :
       {"jpeg-variants/icc-prophoto.jpg", "jpeg-variants/cmyk-with-icc.jpg"}) {
    SCOPED_TRACE(source);
    if (!testing::PathExists(testing::CorpusPath(source))) GTEST_SKIP() << "missing " << source;
    const std::string psd = Convert(testing::CorpusPath(source), "-resize 200x", "psd:icc.psd");
    const std::string bytes = testing::ReadFile(psd);
    Result<Decoded> d = DecodeMagick(psd, bytes, "PSD", Box(1000));
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_TRUE(d->info.has_icc_profile);  // (a ping of a PSD does not read its profile)
    EXPECT_EQ(d->image.bands(), 3);
    // The same pixels through libvips: converted through the profile, and taken as they are.
    const VImage jpeg =
        VImage::jpegload(testing::CorpusPath(source).c_str(), VImage::option()->set("shrink", 8));
    const VImage srgb =
        jpeg.icc_transform("srgb", VImage::option()->set("embedded", true)).cast(VIPS_FORMAT_UCHAR);
    const VImage naive = jpeg.colourspace(VIPS_INTERPRETATION_sRGB).cast(VIPS_FORMAT_UCHAR);
    const double to_srgb = Mad(d->image, srgb), to_naive = Mad(d->image, naive);
    std::printf("[ icc ] %s: %.2f from the profiled conversion, %.2f from the naive one\n",
                source.c_str(), to_srgb, to_naive);
    EXPECT_LT(to_srgb, 2.5);
    // libvips' naive CMYK conversion uses a CMYK profile of its own: close either way.
    if (source.find("cmyk") == std::string::npos) {
      EXPECT_GT(to_naive, to_srgb + 5) << "the profile made no difference";
    }
  }
}

// CMYK without a profile: ImageMagick's own formula, which inverts its own conversion.
TEST_F(MagickTest, CmykPsdBecomesRgb) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  const std::string psd = Convert(Photo(), "-colorspace CMYK", "psd:cmyk.psd");
  const std::string bytes = testing::ReadFile(psd);
  Result<ProbeInfo> probe = ProbeMagick(psd, bytes, "PSD");
  ASSERT_TRUE(probe.ok()) << probe.status().ToString();
  EXPECT_EQ(probe->interpretation, "cmyk");
  Result<Decoded> d = DecodeMagick(psd, bytes, "PSD", Box(1000));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->image.bands(), 3);
  EXPECT_LT(Mad(d->image, LoadPng(Photo())), 2);
}

TEST_F(MagickTest, RealWorldBottomUpTgaIsUpright) {
  // 2x2, 24 bits, origin bottom-left as most writers do: the first row in the file is the
  // bottom one (red), the second the top one (blue).
  std::string tga("\0\0\x02\0\0\0\0\0\0\0\0\0\x02\0\x02\0\x18\x00", 18);
  tga += std::string("\0\0\xff\0\0\xff", 6) + std::string("\xff\0\0\xff\0\0", 6);
  Result<Decoded> d = DecodeMagick("bl.tga", tga, "TGA", Box(2));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->image.getpoint(0, 0), (std::vector<double>{0, 0, 255}));  // blue on top
  EXPECT_EQ(d->image.getpoint(0, 1), (std::vector<double>{255, 0, 0}));
}

TEST(MagickAllowlistTest, MimeTypesMapToCoders) {
  EXPECT_EQ(MagickCoderForMime("image/vnd.adobe.photoshop"), "PSD");
  EXPECT_EQ(MagickCoderForMime("image/x-psd"), "PSD");
  EXPECT_EQ(MagickCoderForMime("image/x-tga"), "TGA");
  EXPECT_EQ(MagickCoderForMime("IMAGE/X-TGA"), "TGA");
  EXPECT_EQ(MagickCoderForMime("image/x-tga; charset=binary"), "TGA");
  EXPECT_EQ(MagickCoderForMime("image/vnd.zbrush.pcx"), "PCX");
  EXPECT_EQ(MagickCoderForMime("image/vnd.microsoft.icon"), "ICO");
  EXPECT_EQ(MagickCoderForMime("image/x-dds"), "DDS");
  EXPECT_EQ(MagickCoderForMime("image/x-xcf"), "XCF");
  EXPECT_EQ(MagickCoderForMime("image/x-portable-graymap"), "PNM");
  EXPECT_EQ(MagickCoderForMime("image/bmp"), "BMP");
  EXPECT_EQ(MagickCoderForMime("image/x-sun-raster"), "SUN");
  for (const char* refused :
       {"image/svg+xml", "text/plain", "application/pdf", "application/postscript", "image/png",
        "image/jpeg", "image/x-exr", "image/vnd.wap.wbmp", "text/html", "", "image/"}) {
    EXPECT_EQ(MagickCoderForMime(refused), "") << refused;
  }
}

TEST_F(MagickTest, CodersOffTheAllowlistNeverReachImageMagick) {
  const std::string svg =
      "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='10' "
      "height='10'/></svg>";
  for (const char* coder : {"SVG", "MSL", "MVG", "TXT", "TEXT", "URL", "HTTPS", "LABEL", "PS",
                            "PDF", "EPHEMERAL", "MIFF", "PNG", "JPEG", "psd", ""}) {
    Result<Decoded> d = DecodeMagick("/x/a.svg", svg, coder, Box(64));
    ASSERT_FALSE(d.ok()) << coder;
    EXPECT_EQ(d.status().code(), StatusCode::kUnsupported) << coder;
    EXPECT_NE(d.status().message().find("not allowed"), std::string::npos) << d.status().message();
    Result<ProbeInfo> p = ProbeMagick("/x/a.svg", svg, coder);
    EXPECT_EQ(p.status().code(), StatusCode::kUnsupported) << coder;
  }
  // Forced, the PSD coder reads the SVG as a broken PSD: ImageMagick does not guess.
  Result<Decoded> d = DecodeMagick("/x/a.svg", svg, "PSD", Box(64));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kCorrupt) << d.status().ToString();
}

// Behind our own check, ImageMagick's policy refuses the same on its own.
TEST_F(MagickTest, PolicyDeniesOtherCodersPathsAndDelegates) {
  using MagickCore::IsRightsAuthorized;
  for (const char* coder : {"SVG", "MSL", "MVG", "TEXT", "TXT", "LABEL", "CAPTION", "URL", "HTTP",
                            "HTTPS", "FTP", "PS", "EPS", "PDF", "XPS", "EPHEMERAL", "MIFF", "X"}) {
    EXPECT_FALSE(
        IsRightsAuthorized(MagickCore::CoderPolicyDomain, MagickCore::ReadPolicyRights, coder))
        << coder;
  }
  for (const char* coder : {"PSD", "TGA", "ICO", "PNM", "XCF", "PNG"}) {
    EXPECT_TRUE(
        IsRightsAuthorized(MagickCore::CoderPolicyDomain, MagickCore::ReadPolicyRights, coder))
        << coder;
    EXPECT_FALSE(
        IsRightsAuthorized(MagickCore::CoderPolicyDomain, MagickCore::WritePolicyRights, coder))
        << coder;
  }
  EXPECT_FALSE(IsRightsAuthorized(MagickCore::DelegatePolicyDomain, MagickCore::ExecutePolicyRights,
                                  "ps:alpha"));
  EXPECT_FALSE(IsRightsAuthorized(MagickCore::PathPolicyDomain, MagickCore::ReadPolicyRights,
                                  "@/etc/passwd"));
  EXPECT_FALSE(IsRightsAuthorized(MagickCore::PathPolicyDomain, MagickCore::ReadPolicyRights,
                                  "/etc/passwd"));
  // Straight through Magick++, bypassing our allowlist: still refused.
  auto read = [](const std::string& spec, const std::string& bytes) {
    try {
      Magick::Image image;
      if (bytes.empty()) {
        image.read(spec);
      } else {
        image.magick(spec);
        image.read(Magick::Blob(bytes.data(), bytes.size()));
      }
      return std::string("read");
    } catch (const Magick::Exception& e) {
      return std::string(e.what());
    }
  };
  EXPECT_NE(read("SVG", "<svg xmlns='http://www.w3.org/2000/svg'/>").find("not allowed"),
            std::string::npos);
  EXPECT_NE(read("MSL", "<image/>").find("not allowed"), std::string::npos);
  EXPECT_NE(read("TEXT:/etc/hostname", "").find("not allowed"), std::string::npos);
  EXPECT_NE(read("PNM:/etc/hostname", "").find("not allowed"), std::string::npos);
}

TEST_F(MagickTest, InitSetsLimitsOnceAndIsIdempotent) {
  EXPECT_TRUE(InitMagick().ok());
  MagickLimits other;
  other.disk_bytes = 1 << 30;
  EXPECT_TRUE(InitMagick(other).ok());  // ignored: the first call's limits stay
  EXPECT_EQ(MagickCore::GetMagickResourceLimit(MagickCore::DiskResource), 0u);
  EXPECT_EQ(MagickCore::GetMagickResourceLimit(MagickCore::ThreadResource), 1u);
  EXPECT_LE(MagickCore::GetMagickResourceLimit(MagickCore::MemoryResource), 256u << 20);
  EXPECT_LE(MagickCore::GetMagickResourceLimit(MagickCore::WidthResource), 32768u);
  EXPECT_EQ(MagickCore::GetMagickResourceLimit(MagickCore::ListLengthResource), 256u);
}

TEST_F(MagickTest, RandomBytesAreCorrupt) {
  std::mt19937 rng(1);
  std::string noise(50000, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  for (const char* coder : {"PSD", "PCX", "DDS", "SGI", "SUN", "BMP", "PNM", "XCF", "ICO"}) {
    Result<Decoded> d = DecodeMagick("/x/noise", noise, coder, Box(64));
    ASSERT_FALSE(d.ok()) << coder;
    EXPECT_TRUE(d.status().IsPermanentFileFailure()) << d.status().ToString();
    EXPECT_EQ(d.status().message().rfind("/x/noise: ImageMagick: ", 0), 0u) << d.status().message();
  }
  Result<Decoded> d = DecodeMagick("/x/noise", noise, "PSD", Box(64));
  EXPECT_EQ(d.status().code(), StatusCode::kCorrupt) << d.status().ToString();
  Result<Decoded> empty = DecodeMagick("/x/empty", "", "PSD", Box(64));
  EXPECT_TRUE(empty.status().IsPermanentFileFailure()) << empty.status().ToString();
}

TEST_F(MagickTest, TruncatedFilesFail) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  // ImageMagick writes a PSD's layer first and its merged image after it: a PSD must be cut
  // inside the layer to lose pixels (see PsdCutInItsMergedImageFallsBackToItsLayer).
  struct Cut {
    std::string coder, args, output;
    double keep;
  };
  const std::vector<Cut> cases = {{"PSD", "", "psd:t.psd", 0.25},
                                  {"TGA", "", "tga:t.tga", 0.5},
                                  {"PCX", "", "pcx:t.pcx", 0.5},
                                  {"BMP", "", "bmp:t.bmp", 0.5},
                                  {"SGI", "", "sgi:t.sgi", 0.5},
                                  {"SGI", "", "sgi:t2.sgi", 0.99},
                                  {"SGI", "-compress none", "sgi:t3.sgi", 0.9},
                                  {"SUN", "", "sun:t.ras", 0.5},
                                  {"PNM", "", "ppm:t.ppm", 0.5},
                                  {"DDS", "", "dds:t.dds", 0.5},
                                  {"XPM", "", "xpm:t.xpm", 0.5},
                                  {"PICT", "", "pict:t.pict", 0.5},
                                  {"DPX", "", "dpx:t.dpx", 0.5},
                                  {"ICO", "-resize 48x48", "ico:t.ico", 0.6}};
  for (const auto& [coder, args, output, keep] : cases) {
    const std::string bytes = testing::ReadFile(Convert(Photo(), args, output));
    ASSERT_FALSE(bytes.empty()) << output;
    const std::string cut = bytes.substr(0, static_cast<size_t>(bytes.size() * keep));
    Result<Decoded> d = DecodeMagick("/x/cut", cut, coder, Box(64));
    EXPECT_FALSE(d.ok()) << coder << " decoded a truncated file";
    if (d.ok()) continue;
    EXPECT_TRUE(d.status().IsPermanentFileFailure()) << coder << ": " << d.status().ToString();
    std::printf("[ truncated ] %s: %s\n", coder.c_str(), d.status().ToString().c_str());
  }
}

// What ImageMagick does, pinned: the merged image is a copy, so a PSD cut inside it is read
// from its (whole) layer instead, and the picture is right.
TEST_F(MagickTest, PsdCutInItsMergedImageFallsBackToItsLayer) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  const std::string bytes = testing::ReadFile(Convert(Photo(), "", "psd:m.psd"));
  Result<Decoded> d =
      DecodeMagick("/x/cut.psd", bytes.substr(0, bytes.size() * 3 / 4), "PSD", Box(1000));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_LT(Mad(d->image, LoadPng(Photo())), 1.5);
}

// Headers declaring huge images are refused by the limits at once: no hang, no gigabytes.
TEST_F(MagickTest, HugeDeclaredSizesAreRefusedQuickly) {
  auto le16 = [](int v) {
    return std::string{static_cast<char>(v & 255), static_cast<char>(v >> 8)};
  };
  std::string tga = std::string("\0\0\x02\0\0\0\0\0\0\0\0\0", 12) + le16(65535) + le16(65535) +
                    std::string("\x18\x20", 2) + std::string(64, '\x7f');
  std::string psd = std::string("8BPS\0\x01\0\0\0\0\0\0\0\x03", 14) +
                    std::string("\0\0\x75\x30\0\0\x75\x30\0\x08\0\x03", 12) + std::string(64, '\0');
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"pnm 60000x60000", "PNM", "P6\n60000 60000\n255\n" + std::string(64, '\x7f')},
      {"pnm 15000x15000", "PNM", "P6\n15000 15000\n255\n" + std::string(64, '\x7f')},
      {"pnm 12000x12000", "PNM", "P5\n12000 12000\n255\n" + std::string(64, '\x7f')},
      {"tga 65535x65535", "TGA", tga},
      {"psd 30000x30000", "PSD", psd},
      // All its data present, within 16000 a side and 128 MP, but 36 MP at 8 bytes a pixel
      // (Q16 RGBA) is more than the 256 MiB of memory, and the disk cache is off.
      {"pgm 6000x6000 complete", "PNM", "P5\n6000 6000\n255\n" + std::string(36'000'000, '\x7f')},
  };
  for (const auto& [name, coder, bytes] : cases) {
    const auto start = std::chrono::steady_clock::now();
    Result<Decoded> d = DecodeMagick("/x/" + name, bytes, coder, Box(256));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_FALSE(d.ok()) << name;
    EXPECT_TRUE(d.status().IsPermanentFileFailure()) << name << ": " << d.status().ToString();
    if (name.find("complete") != std::string::npos) {
      EXPECT_EQ(d.status().code(), StatusCode::kTooLarge) << d.status().ToString();
    }
    EXPECT_LT(seconds, 2.0) << name;
    std::printf("[ limits ] %s: %s in %.3f s\n", name.c_str(), d.status().ToString().c_str(),
                seconds);
  }
}

}  // namespace
}  // namespace tessera::decoders
