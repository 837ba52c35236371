#include "src/app/original_locator.h"

#include <sys/stat.h>

#include <filesystem>
#include <map>

namespace tessera::app {

server::OriginalLocator MakeOriginalLocator(library::Catalog& catalog) {
  return [&catalog](const library::Photo& photo) -> Result<std::optional<std::string>> {
    TESSERA_ASSIGN_OR_RETURN(std::vector<library::PhotoFile> files, catalog.FilesOfPhoto(photo.id));
    if (files.empty()) return std::optional<std::string>();
    TESSERA_ASSIGN_OR_RETURN(std::vector<library::Library> libraries,
                             catalog.Libraries(photo.owner_id));
    std::map<int64_t, std::string> roots;
    for (const library::Library& library : libraries) roots[library.id] = library.root;
    for (const library::PhotoFile& file : files) {
      auto root = roots.find(file.library_id);
      if (root == roots.end()) continue;
      // Paths come from our own scan, but a symlink swapped in since must not lead outside.
      std::error_code ec;
      const std::filesystem::path canonical_root = std::filesystem::canonical(root->second, ec);
      if (ec) continue;
      const std::filesystem::path resolved =
          std::filesystem::canonical(canonical_root / file.rel_path, ec);
      if (ec) continue;
      const std::string r = resolved.string(), base = canonical_root.string() + "/";
      if (r.compare(0, base.size(), base) != 0) continue;
      struct stat st;
      if (::stat(r.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return std::optional<std::string>(r);
    }
    return std::optional<std::string>();
  };
}

}  // namespace tessera::app
