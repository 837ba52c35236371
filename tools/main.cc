// tessera: correct thumbnails, fast, into the freedesktop cache.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>

#include "tessera/engine.h"
#include "tools/cli.h"

int main(int argc, char** argv) {
  CLI::App app{
      "tessera: correct thumbnails, fast: the freedesktop.org thumbnail cache and a photo media "
      "server"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "tessera " TESSERA_VERSION);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log decisions (the plan of each thumbnail) to stderr");

  const tessera::cli::Command commands[] = {
      tessera::cli::RegisterThumbnail(app),   tessera::cli::RegisterLookup(app),
      tessera::cli::RegisterInfo(app),        tessera::cli::RegisterClean(app),
      tessera::cli::RegisterThumbnailer(app), tessera::cli::RegisterServe(app),
      tessera::cli::RegisterScan(app),        tessera::cli::RegisterUser(app),
      tessera::cli::RegisterPhoto(app),       tessera::cli::RegisterDbusService(app),
      tessera::cli::RegisterWorker(app),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? tessera::cli::kExitOk : tessera::cli::kExitUsage;
  }

  auto logger = spdlog::stderr_color_mt("tessera");
  logger->set_pattern("tessera: %l: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::warn);

  // libvips starts on first use (tessera::InitEngineRuntime), so that files decoded only in a
  // helper (videos, RAW, ...) never pay for it in this process.
  for (const auto& command : commands) {
    if (command.parser->parsed()) return command.run();
  }
  return tessera::cli::kExitUsage;
}
