#include "tools/server_common.h"

#include <fmt/format.h>
#include <sodium.h>

#include <filesystem>

namespace tessera::cli {

void AddDataOptions(CLI::App* sub, DataOptions& options) {
  sub->add_option("--data", options.data_dir,
                  "Data folder: catalog, media, secret (default $XDG_DATA_HOME/tessera)");
  sub->add_option("--catalog", options.catalog,
                  "Catalog: a SQLite file, or a postgresql:// URL (default DATA/catalog.db)");
}

Result<Opened> OpenData(const DataOptions& options) {
  Opened opened;
  TESSERA_ASSIGN_OR_RETURN(opened.data, app::OpenDataDir(options.data_dir));
  TESSERA_ASSIGN_OR_RETURN(opened.catalog, app::OpenCatalogFor(opened.data, options.catalog));
  return opened;
}

void AddVariantOptions(CLI::App* sub, VariantOptions& options) {
  sub->add_option("--variant", options.settings,
                  "Change a variant: KIND=FORMAT[:QUALITY[:WxH]], e.g. thumbnails_big=webp:80 "
                  "(kinds: thumbnails_big, square_thumbnails, small_square_thumbnails)");
  sub->add_option("--video-square", options.video_square,
                  "A video's square thumbnail: clip (a 3 s muted MP4) or frame (a JPEG still)")
      ->check(CLI::IsMember({"clip", "frame"}));
  sub->add_flag("--no-faces", options.no_faces, "Do not look for faces");
}

Result<std::vector<library::VariantSpec>> VariantsFrom(const VariantOptions& options) {
  std::vector<library::VariantSpec> specs = library::DefaultVariants();
  for (const std::string& setting : options.settings) {
    TESSERA_RETURN_IF_ERROR(library::ApplyVariantSetting(specs, setting));
  }
  TESSERA_RETURN_IF_ERROR(library::ApplyVideoSquareSetting(specs, options.video_square));
  return specs;
}

Result<library::User> FindUser(library::Catalog& catalog, const std::string& name) {
  TESSERA_ASSIGN_OR_RETURN(std::optional<library::User> user, catalog.FindUserByName(name));
  if (!user) return Status::NotFound(fmt::format("no user named '{}'", name));
  return *user;
}

Result<std::string> EnsureLibrary(library::Catalog& catalog, int64_t owner_id,
                                  const std::string& dir) {
  std::error_code ec;
  const std::string root = std::filesystem::canonical(dir, ec).string();
  if (ec) return Status::FromErrno(ec.value(), dir);
  if (!std::filesystem::is_directory(root, ec)) {
    return Status::InvalidArgument(fmt::format("{}: not a folder", dir));
  }
  TESSERA_ASSIGN_OR_RETURN(std::vector<library::Library> all, catalog.Libraries(std::nullopt));
  for (const library::Library& library : all) {
    if (library.root != root) continue;
    if (library.owner_id == owner_id) return root;
    return Status::InvalidArgument(fmt::format("{} is another user's library", root));
  }
  TESSERA_RETURN_IF_ERROR(catalog.AddLibrary(owner_id, root).status());
  return root;
}

std::string RandomPassword() {
  if (sodium_init() < 0) return {};
  unsigned char raw[15];
  randombytes_buf(raw, sizeof(raw));
  char out[sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof(out), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

}  // namespace tessera::cli
