// `tessera photo`: who sees a photo, from the command line (the same as the API's share and
// public routes, for the owner).
//   tessera photo share HASH --owner NAME --with USER [--off]
//   tessera photo public HASH --owner NAME [--off]
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "src/library/content_hash.h"
#include "tools/cli.h"
#include "tools/common.h"
#include "tools/server_common.h"

namespace tessera::cli {
namespace {

struct PhotoArgs {
  DataOptions data;
  std::string hash;
  std::string owner;
  std::string with;
  bool off = false;
};

int Run(const PhotoArgs& args, bool share) {
  auto fail = [](const Status& status) {
    PrintError(status.message());
    return status.code() == StatusCode::kNotFound ? kExitUsage : kExitFailed;
  };
  if (!library::IsContentHash(args.hash)) {
    PrintError(fmt::format("'{}' is not a content hash (64 hex digits)", args.hash));
    return kExitUsage;
  }
  Result<Opened> opened = OpenData(args.data);
  if (!opened.ok()) return fail(opened.status());
  library::Catalog& catalog = *opened->catalog;
  Result<library::User> owner = FindUser(catalog, args.owner);
  if (!owner.ok()) return fail(owner.status());
  Result<std::optional<library::Photo>> photo = catalog.FindPhotoForViewer(args.hash, owner->id);
  if (!photo.ok()) return fail(photo.status());
  if (!photo->has_value() || (*photo)->owner_id != owner->id) {
    return fail(Status::NotFound(fmt::format("{} has no photo {}", args.owner, args.hash)));
  }
  Status status;
  if (share) {
    Result<library::User> other = FindUser(catalog, args.with);
    if (!other.ok()) return fail(other.status());
    status = args.off ? catalog.Unshare((*photo)->id, other->id)
                      : catalog.Share((*photo)->id, other->id);
    if (status.ok()) {
      std::cout << fmt::format("{} {} {}\n", args.hash,
                               args.off ? "no longer shared with" : "shared with", args.with);
    }
  } else {
    status = catalog.SetPublic((*photo)->id, !args.off);
    if (status.ok())
      std::cout << fmt::format("{} {}\n", args.hash, args.off ? "private" : "public");
  }
  return status.ok() ? kExitOk : fail(status);
}

}  // namespace

Command RegisterPhoto(CLI::App& app) {
  auto args = std::make_shared<PhotoArgs>();
  CLI::App* sub = app.add_subcommand("photo", "Share a photo with a user, or make it public");
  sub->require_subcommand(1);
  CLI::App* share = sub->add_subcommand("share", "Let another user see a photo");
  share->add_option("hash", args->hash, "The photo's content hash")->required();
  share->add_option("--owner", args->owner, "The photo's owner")->required();
  share->add_option("--with", args->with, "The user to share it with")->required();
  share->add_flag("--off", args->off, "Stop sharing it");
  AddDataOptions(share, args->data);
  CLI::App* pub = sub->add_subcommand("public", "Let anyone, signed in or not, see a photo");
  pub->add_option("hash", args->hash, "The photo's content hash")->required();
  pub->add_option("--owner", args->owner, "The photo's owner")->required();
  pub->add_flag("--off", args->off, "Make it private again");
  AddDataOptions(pub, args->data);
  return {sub, [=] { return Run(*args, share->parsed()); }};
}

}  // namespace tessera::cli
