// Helpers for the engine's corpus tests (tests only).
#ifndef TESSERA_PIPELINE_TEST_IMAGES_H_
#define TESSERA_PIPELINE_TEST_IMAGES_H_

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "src/core/test_corpus.h"
#include "tessera/image.h"

namespace tessera::testing {

// Mean absolute difference per colour channel (R, G, B; alpha ignored), or 1e9 when the
// sizes differ.
inline double MeanAbsDiff(const Image& a, const Image& b) {
  if (a.width != b.width || a.height != b.height) return 1e9;
  double sum = 0;
  for (int y = 0; y < a.height; ++y) {
    for (int x = 0; x < a.width; ++x) {
      const uint8_t* p = a.Pixel(x, y);
      const uint8_t* q = b.Pixel(x, y);
      for (int c = 0; c < 3; ++c) sum += std::abs(int{p[c]} - int{q[c]});
    }
  }
  return sum / (3.0 * a.width * a.height);
}

// Mean of one channel over the image.
inline double MeanChannel(const Image& image, int channel) {
  double sum = 0;
  for (size_t i = channel; i < image.rgba.size(); i += 4) sum += image.rgba[i];
  return image.rgba.empty() ? 0 : sum / (image.rgba.size() / 4);
}

// The regular files in a corpus folder, sorted, full paths.
inline std::vector<std::string> CorpusFiles(const std::string& folder) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(CorpusPath(folder), ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace tessera::testing

#endif  // TESSERA_PIPELINE_TEST_IMAGES_H_
