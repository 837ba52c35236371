#include "tests/support/image_check.h"

#include <cstdio>
#include <vips/vips8>

#include "src/core/test_fs.h"

namespace tessera::testing {

namespace {

bool InitVips() {
  static const bool initialised = VIPS_INIT("tessera-integration-tests") == 0;
  return initialised;
}

}  // namespace

Result<DecodedImage> DecodeFully(const std::string& bytes) {
  if (!InitVips()) return Status::Internal("vips_init failed");
  if (bytes.empty()) return Status::Corrupt("empty");
  try {
    vips::VImage image =
        vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "",
                                      vips::VImage::option()
                                          ->set("access", VIPS_ACCESS_SEQUENTIAL)
                                          ->set("fail_on", VIPS_FAIL_ON_TRUNCATED));
    DecodedImage decoded;
    decoded.width = image.width();
    decoded.height = image.height();
    decoded.bands = image.bands();
    decoded.loader = image.get_string("vips-loader");
    (void)image.avg();  // pulls every pixel through the decoder
    return decoded;
  } catch (const vips::VError& e) {
    vips_error_clear();
    return Status::Corrupt(e.what());
  }
}

Result<DecodedImage> DecodeFileFully(const std::string& path) {
  if (!Exists(path)) return Status::NotFound(path);
  Result<DecodedImage> decoded = DecodeFully(ReadFile(path));
  if (!decoded.ok()) return Status::Corrupt(path + ": " + decoded.status().message());
  return decoded;
}

Status WriteDistinctJpegs(const std::string& source, const std::string& dir, int count, int width,
                          int height) {
  if (!InitVips()) return Status::Internal("vips_init failed");
  try {
    vips::VImage image = vips::VImage::new_from_file(source.c_str()).copy_memory();
    const int slack_x = image.width() - width, slack_y = image.height() - height;
    if (slack_x < 0 || slack_y < 0) return Status::InvalidArgument(source + ": too small");
    for (int i = 0; i < count; ++i) {
      // Offsets on a coarse grid, different for every i: no two crops are the same pixels.
      const int left = slack_x * (i % 8) / 8, top = slack_y * (i / 8 % 8) / 8 + i / 64;
      char name[32];
      std::snprintf(name, sizeof(name), "/shot_%02d.jpg", i);
      image.extract_area(left, top, width, height)
          .jpegsave((dir + name).c_str(), vips::VImage::option()->set("Q", 90));
    }
    return Status::Ok();
  } catch (const vips::VError& e) {
    vips_error_clear();
    return Status::IOError(e.what());
  }
}

}  // namespace tessera::testing
