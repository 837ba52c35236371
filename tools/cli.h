// The `tessera` command's subcommands. Each Register* adds its CLI11 subcommand and returns the
// function that runs it; main() parses once and runs the one chosen.
#ifndef TESSERA_TOOLS_CLI_H_
#define TESSERA_TOOLS_CLI_H_

#include <CLI/CLI.hpp>
#include <functional>

namespace tessera::cli {

// Exit statuses, the same for every subcommand.
inline constexpr int kExitOk = 0;      // everything asked for was done
inline constexpr int kExitFailed = 1;  // some file failed (each named on stderr)
inline constexpr int kExitUsage = 2;   // the command line itself was wrong

// A registered subcommand: its parser and what runs it once parsed.
struct Command {
  CLI::App* parser;
  std::function<int()> run;
};

Command RegisterThumbnail(CLI::App& app);
Command RegisterLookup(CLI::App& app);
Command RegisterInfo(CLI::App& app);
Command RegisterClean(CLI::App& app);
Command RegisterThumbnailer(CLI::App& app);
Command RegisterServe(CLI::App& app);
Command RegisterScan(CLI::App& app);
Command RegisterUser(CLI::App& app);
Command RegisterPhoto(CLI::App& app);
Command RegisterDbusService(CLI::App& app);
Command RegisterWorker(CLI::App& app);

}  // namespace tessera::cli

#endif  // TESSERA_TOOLS_CLI_H_
