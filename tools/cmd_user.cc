// `tessera user`: the media server's users, their library folders, passwords and tokens.
//   tessera user add NAME [--library DIR]... [--first-name NAME] [--password-stdin]
//   tessera user passwd NAME [--password-stdin]
//   tessera user token NAME [--ttl SECONDS]
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>

#include "src/app/secret.h"
#include "src/library/passwords.h"
#include "src/server/tokens.h"
#include "tools/cli.h"
#include "tools/common.h"
#include "tools/server_common.h"

namespace tessera::cli {
namespace {

struct UserArgs {
  DataOptions data;
  std::string name;
  std::string first_name;
  std::vector<std::string> libraries;
  bool password_stdin = false;
  int64_t ttl = 3600;
};

// The password from stdin (one line), or a new random one that is printed once.
Result<std::string> ChoosePassword(bool from_stdin, bool* generated) {
  *generated = !from_stdin;
  if (!from_stdin) return RandomPassword();
  std::string line;
  if (!std::getline(std::cin, line) || line.empty()) {
    return Status::InvalidArgument("no password on standard input");
  }
  return line;
}

int Fail(const Status& status) {
  PrintError(status.message());
  return status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kNotFound
             ? kExitUsage
             : kExitFailed;
}

int Add(const UserArgs& args) {
  Result<Opened> opened = OpenData(args.data);
  if (!opened.ok()) return Fail(opened.status());
  library::Catalog& catalog = *opened->catalog;
  Result<std::optional<library::User>> existing = catalog.FindUserByName(args.name);
  if (!existing.ok()) return Fail(existing.status());
  int64_t id = 0;
  if (existing->has_value()) {
    // Adding folders to an existing user is allowed; anything else about them is left alone.
    if (args.libraries.empty())
      return Fail(Status::InvalidArgument(fmt::format("user '{}' exists already", args.name)));
    id = (*existing)->id;
  } else {
    bool generated = false;
    Result<std::string> password = ChoosePassword(args.password_stdin, &generated);
    if (!password.ok()) return Fail(password.status());
    Result<std::string> hash = library::HashPassword(*password);
    if (!hash.ok()) return Fail(hash.status());
    Result<int64_t> added =
        catalog.AddUser(library::User{0, args.name, args.first_name, *hash, ""});
    if (!added.ok()) return Fail(added.status());
    id = *added;
    std::cout << fmt::format("user {} added", args.name);
    if (generated) std::cout << fmt::format("; password: {}", *password);
    std::cout << "\n";
  }
  for (const std::string& dir : args.libraries) {
    Result<std::string> root = EnsureLibrary(catalog, id, dir);
    if (!root.ok()) return Fail(root.status());
    std::cout << fmt::format("library {} belongs to {}\n", *root, args.name);
  }
  return kExitOk;
}

int Passwd(const UserArgs& args) {
  Result<Opened> opened = OpenData(args.data);
  if (!opened.ok()) return Fail(opened.status());
  Result<library::User> user = FindUser(*opened->catalog, args.name);
  if (!user.ok()) return Fail(user.status());
  bool generated = false;
  Result<std::string> password = ChoosePassword(args.password_stdin, &generated);
  if (!password.ok()) return Fail(password.status());
  Result<std::string> hash = library::HashPassword(*password);
  if (!hash.ok()) return Fail(hash.status());
  Status status = opened->catalog->SetPassword(user->id, *hash);
  if (!status.ok()) return Fail(status);
  std::cout << fmt::format("password of {} changed", args.name);
  if (generated) std::cout << fmt::format("; password: {}", *password);
  std::cout << "\n";
  return kExitOk;
}

int Token(const UserArgs& args) {
  Result<Opened> opened = OpenData(args.data);
  if (!opened.ok()) return Fail(opened.status());
  Result<library::User> user = FindUser(*opened->catalog, args.name);
  if (!user.ok()) return Fail(user.status());
  Result<std::string> secret = app::LoadOrCreateSecret(opened->data.secret_path());
  if (!secret.ok()) return Fail(secret.status());
  server::TokenService tokens(*secret);
  Result<std::string> token = tokens.Issue(user->id, server::TokenType::kAccess, args.ttl);
  if (!token.ok()) return Fail(token.status());
  std::cout << *token << "\n";
  return kExitOk;
}

}  // namespace

Command RegisterUser(CLI::App& app) {
  auto args = std::make_shared<UserArgs>();
  CLI::App* sub = app.add_subcommand("user", "Media server users: add, passwd, token");
  sub->require_subcommand(1);
  CLI::App* add = sub->add_subcommand("add", "Add a user (or library folders to a user)");
  add->add_option("name", args->name, "User name (to sign in)")->required();
  add->add_option("--library", args->libraries, "A folder of the user's photos (repeatable)");
  add->add_option("--first-name", args->first_name, "Shown in avatar URLs (default: the name)");
  add->add_flag("--password-stdin", args->password_stdin,
                "Read the password from standard input (default: generate and print one)");
  AddDataOptions(add, args->data);
  CLI::App* passwd = sub->add_subcommand("passwd", "Set a user's password");
  passwd->add_option("name", args->name)->required();
  passwd->add_flag("--password-stdin", args->password_stdin, "Read it from standard input");
  AddDataOptions(passwd, args->data);
  CLI::App* token = sub->add_subcommand("token", "Print an access token for a user (scripts)");
  token->add_option("name", args->name)->required();
  token->add_option("--ttl", args->ttl, "Seconds it stays valid")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{30 * 24 * 3600}));
  AddDataOptions(token, args->data);
  return {sub, [=] {
            if (add->parsed()) return Add(*args);
            if (passwd->parsed()) return Passwd(*args);
            return Token(*args);
          }};
}

}  // namespace tessera::cli
