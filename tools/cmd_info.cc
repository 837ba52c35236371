// `tessera info`: what the probe sees in a file, or the keys of a thumbnail PNG.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tessera/engine.h"
#include "tessera/image.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace tessera::cli {
namespace {

nlohmann::json ProbeJson(const ProbeInfo& p) {
  nlohmann::json j = {{"mime_type", p.mime_type},
                      {"format", p.format},
                      {"width", p.width},
                      {"height", p.height},
                      {"orientation", p.orientation},
                      {"oriented_width", p.OrientedWidth()},
                      {"oriented_height", p.OrientedHeight()},
                      {"pages", p.pages},
                      {"bands", p.bands},
                      {"bits_per_sample", p.bits_per_sample},
                      {"has_alpha", p.has_alpha},
                      {"has_icc_profile", p.has_icc_profile},
                      {"interpretation", p.interpretation},
                      {"is_vector", p.is_vector},
                      {"file_size", p.file_size}};
  if (p.duration_seconds > 0) j["duration_seconds"] = p.duration_seconds;
  return j;
}

bool HasThumbKeys(const PngText& text) {
  for (const auto& [key, value] : text) {
    if (key.rfind("Thumb::", 0) == 0) return true;
  }
  return false;
}

int Run(const std::vector<std::string>& files, bool json) {
  const Engine engine(DefaultEngineOptions());
  bool ok = true;
  nlohmann::json all = nlohmann::json::array();
  for (const std::string& file : files) {
    Result<ProbeInfo> probe = engine.Probe(file);
    if (!probe.ok()) {
      PrintError(probe.status().message());
      ok = false;
      continue;
    }
    nlohmann::json j = ProbeJson(*probe);
    j["path"] = file;
    if (probe->format == "png") {
      Result<PngText> text = ReadPngText(file);
      if (text.ok() && HasThumbKeys(*text)) {
        nlohmann::json keys = nlohmann::json::object();
        for (const auto& [key, value] : *text) keys[key] = value;
        j["thumbnail_keys"] = keys;
      }
    }
    if (json) {
      all.push_back(j);
      continue;
    }
    std::printf("%s\n", file.c_str());
    for (auto& [key, value] : j.items()) {
      if (key == "path" || key == "thumbnail_keys") continue;
      std::printf("  %-18s %s\n", key.c_str(),
                  value.is_string() ? value.get<std::string>().c_str() : value.dump().c_str());
    }
    if (j.contains("thumbnail_keys")) {
      std::printf("  thumbnail keys:\n");
      for (auto& [key, value] : j["thumbnail_keys"].items()) {
        std::printf("    %-24s %s\n", key.c_str(), value.get<std::string>().c_str());
      }
    }
  }
  if (json) std::cout << all.dump(2) << std::endl;
  return ok ? kExitOk : kExitFailed;
}

}  // namespace

Command RegisterInfo(CLI::App& app) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand(
      "info", "Show what the probe sees in a file (and a thumbnail's Thumb:: keys)");
  sub->add_option("files", *files, "Files")->required();
  sub->add_flag("--json", *json, "Print JSON");
  return {sub, [=] { return Run(*files, *json); }};
}

}  // namespace tessera::cli
