// What isolation costs, and what the RAW preview saves. One thread.
//   BM_File/<kind>/isolated     Engine::Thumbnail with the decoder in a reused helper process
//   BM_File/<kind>/in_process   the same request answered in this process (helper::Handle)
//   BM_HelperStart              starting a helper and its first (tiny) answer
//   BM_Raw/<file>/preview|full  a DNG at 256 px from its embedded preview or a demosaic
// Run: tessera_bench --benchmark_filter='File|HelperStart|Raw'
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "src/core/test_corpus.h"
#include "src/decoders/raw.h"
#include "src/helper/serve.h"
#include "src/isolate/helper_pool.h"
#include "src/media/file_bytes.h"
#include "src/media/route.h"
#include "src/pipeline/derive.h"
#include "tessera/engine.h"

namespace tessera {
namespace {

std::string Extra(const std::string& name) {
  return std::string(TESSERA_SOURCE_DIR) + "/../shared/corpus/extra/" + name;
}

// kind 0: a short H.264 clip; 1: an SVG; 2: a DNG.
std::string FileFor(int kind) {
  switch (kind) {
    case 0:
      return testing::CorpusPath("video/real-h264-320x240__imageio__realshort.mp4");
    case 1:
      return testing::CorpusPath("svg/gnome__blobs-l.svg");
    default:
      return testing::CorpusPath("raw/synthetic-bayer-rggb-2400x1600__derived__Storm.dng");
  }
}

isolate::HelperRequest RequestFor(const std::string& path) {
  const std::string head = *media::ReadFileHead(path, 4096);
  const media::Route route = media::RouteFile(path, head);
  isolate::HelperRequest r;
  r.path = path;
  r.mime_type = route.mime_type;
  r.family = route.family;
  r.targets = {Target::Square(256)};
  r.max_pixels = EngineOptions{}.max_pixels;
  r.max_file_bytes = EngineOptions{}.max_file_bytes;
  r.cpu_seconds = 30;
  return r;
}

void BM_File(benchmark::State& state) {
  const std::string path = FileFor(static_cast<int>(state.range(0)));
  if (!std::filesystem::exists(path)) return state.SkipWithError("corpus file missing");
  const bool isolated = state.range(1) == 1;
  const Engine engine;  // isolation on: helpers reused
  EngineOptions sandboxed;
  sandboxed.isolation.enabled = false;
  const Engine in_process(sandboxed);
  const isolate::HelperRequest request = RequestFor(path);
  if (isolated && !engine.Thumbnail(path, request.targets).ok()) {
    return state.SkipWithError("thumbnail failed");
  }
  for (auto _ : state) {
    if (isolated) {
      benchmark::DoNotOptimize(engine.Thumbnail(path, request.targets));
    } else {
      benchmark::DoNotOptimize(helper::Handle(request, in_process));
    }
  }
  state.SetLabel(request.family + (isolated ? " isolated" : " in process"));
}
BENCHMARK(BM_File)
    ->ArgsProduct({{0, 1, 2}, {0, 1}})
    ->ArgNames({"kind", "isolated"})
    ->Unit(benchmark::kMillisecond);

void BM_HelperStart(benchmark::State& state) {
  Result<std::string> helper = isolate::FindHelper("");
  const std::string path = FileFor(1);
  if (!helper.ok() || !std::filesystem::exists(path)) return state.SkipWithError("no helper");
  isolate::HelperRequest probe = RequestFor(path);
  probe.op = isolate::HelperRequest::Op::kProbe;
  for (auto _ : state) {
    isolate::HelperPool pool(*helper, isolate::HelperLimits{}, false);
    benchmark::DoNotOptimize(pool.Run(probe));
  }
}
BENCHMARK(BM_HelperStart)->Unit(benchmark::kMillisecond);

void BM_Raw(benchmark::State& state) {
  const std::string path =
      state.range(0) == 0
          ? Extra("real-canon-eos-6d.dng")
          : testing::CorpusPath("raw/synthetic-bayer-rggb-2400x1600__derived__Storm.dng");
  Result<std::string> bytes = media::ReadFileBytes(path, 1ull << 30);
  if (!bytes.ok()) return state.SkipWithError("DNG missing");
  if (!InitHelperRuntime().ok()) return state.SkipWithError("libvips did not start");
  const std::vector<Target> targets = {Target::Square(256)};
  decoders::RawOptions options;
  options.allow_preview = state.range(1) == 1;
  for (auto _ : state) {
    auto min_size = [&](const ProbeInfo& up) {
      return pipeline::DecodeMinimum(up, targets, Quality::kQuality);
    };
    Result<decoders::Decoded> decoded = decoders::DecodeRaw(path, *bytes, min_size, options);
    if (!decoded.ok()) return state.SkipWithError(decoded.status().ToString().c_str());
    benchmark::DoNotOptimize(pipeline::ThumbnailFromDecoded(path, decoded->info, decoded->image,
                                                            targets, Quality::kQuality));
  }
  state.SetLabel(options.allow_preview ? "embedded preview when large enough" : "demosaic");
}
BENCHMARK(BM_Raw)
    ->ArgsProduct({{0, 1}, {1, 0}})
    ->ArgNames({"file", "preview"})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tessera
