// The fast JPEG path (libjpeg-turbo M/8) against libvips' jpegload (shrink-on-load), one
// thread, every JPEG of corpus/photos at 256 px. Run: tessera_bench --benchmark_filter=Photos
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "src/core/test_corpus.h"
#include "tessera/engine.h"

namespace tessera {
namespace {

std::vector<std::string> Photos() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(testing::CorpusPath("photos"), ec)) {
    if (e.path().extension() == ".jpg") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void BM_Photos256(benchmark::State& state) {
  const Engine engine(EngineOptions{.fast_jpeg = state.range(0) == 1});
  const std::vector<std::string> files = Photos();
  if (files.empty()) {
    state.SkipWithError("no corpus/photos");
    return;
  }
  for (auto _ : state) {
    for (const std::string& f : files) {
      auto set = engine.Thumbnail(f, {Target::Square(256)});
      benchmark::DoNotOptimize(set);
    }
  }
  state.SetItemsProcessed(state.iterations() * files.size());
}
// Arg 1: fast path; 0: libvips jpegload.
BENCHMARK(BM_Photos256)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->MinTime(3);

void BM_Sony4Sizes(benchmark::State& state) {
  const Engine engine(EngineOptions{.fast_jpeg = state.range(0) == 1});
  const std::string f = testing::CorpusPath("photos/npm-exif__sony-alpha-6000.jpg");
  for (auto _ : state) {
    auto set = engine.Thumbnail(
        f, {Target::Square(128), Target::Square(256), Target::Square(512), Target::Square(1024)});
    benchmark::DoNotOptimize(set);
  }
}
BENCHMARK(BM_Sony4Sizes)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

// Time to refuse each decompression bomb of corpus/bad (after start-up: the engine is warm).
// The target is under 50 ms each; the refusal happens on the header, before any decode.
void BM_RefuseBomb(benchmark::State& state) {
  static const char* const kBombs[] = {
      "bad/png-bomb-50000x50000-1bit.png", "bad/png-header-50000x50000-rgba-truncated.png",
      "bad/jpeg-sof-65000x65000-truncated.jpg", "bad/gif-screen-65535x65535-truncated.gif"};
  const std::string file = testing::CorpusPath(kBombs[state.range(0)]);
  state.SetLabel(kBombs[state.range(0)]);
  const Engine engine;
  for (auto _ : state) {
    auto set = engine.Thumbnail(file, {Target::Square(256)});
    if (set.ok()) state.SkipWithError("a bomb was decoded");
    benchmark::DoNotOptimize(set);
  }
}
BENCHMARK(BM_RefuseBomb)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tessera
