// The SQLite catalog's photos, their visibility and shares, and stored variants.
#include <fmt/format.h>

#include <algorithm>

#include "src/library/content_hash.h"
#include "src/library/sqlite_catalog_impl.h"

namespace tessera::library {
namespace {

#define TESSERA_PHOTO_COLUMNS                                                       \
  "p.id, p.owner_id, p.hash, p.is_public, p.mime_type, p.width, p.height, p.size, " \
  "p.duration_seconds, p.placeholder, p.taken_at"

// Who may see photo p: ?1 is the viewer's id, NULL for anonymous (every comparison with NULL is
// false, so only public photos remain).
#define TESSERA_VISIBLE_TO_VIEWER                                                             \
  "(p.is_public = 1 OR p.owner_id = ?1 OR EXISTS (SELECT 1 FROM shares s WHERE s.photo_id = " \
  "p.id AND s.user_id = ?1))"

Photo ReadPhoto(const Statement& stmt) {
  return Photo{stmt.Int(0), stmt.Int(1), stmt.Text(2), stmt.Int(3) != 0,
               PhotoMeta{stmt.Text(4), static_cast<int>(stmt.Int(5)), static_cast<int>(stmt.Int(6)),
                         stmt.Int(7), stmt.Double(8), stmt.Text(9), stmt.Int(10)}};
}

Variant ReadVariant(const Statement& stmt) {
  return Variant{stmt.Int(0),
                 stmt.Text(1),
                 stmt.Text(2),
                 static_cast<int>(stmt.Int(3)),
                 static_cast<int>(stmt.Int(4)),
                 stmt.Int(5)};
}

void BindViewer(Statement& stmt, Viewer viewer) {
  if (viewer) {
    stmt.Bind(1, *viewer);
  } else {
    stmt.BindNull(1);
  }
}

}  // namespace

Result<int64_t> SqliteCatalog::UpsertPhoto(int64_t owner_id, std::string_view hash,
                                           const PhotoMeta& meta) {
  if (!IsContentHash(hash)) {
    return Status::InvalidArgument(fmt::format("catalog: malformed content hash '{}'", hash));
  }
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("INSERT INTO photos (owner_id, hash, mime_type, width, height, size, duration_seconds, "
          "placeholder, taken_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
          "ON CONFLICT (owner_id, hash) DO UPDATE SET mime_type = excluded.mime_type, "
          "width = excluded.width, height = excluded.height, size = excluded.size, "
          "duration_seconds = excluded.duration_seconds, placeholder = excluded.placeholder, "
          "taken_at = excluded.taken_at "
          "RETURNING id"));
  stmt->Bind(1, owner_id)
      .Bind(2, hash)
      .Bind(3, meta.mime_type)
      .Bind(4, int64_t{meta.width})
      .Bind(5, int64_t{meta.height})
      .Bind(6, meta.size)
      .Bind(7, meta.duration_seconds)
      .Bind(8, meta.placeholder)
      .Bind(9, meta.taken_at);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return Status::Internal("catalog: INSERT RETURNING gave no row");
  int64_t id = stmt->Int(0);
  TESSERA_RETURN_IF_ERROR(stmt->Run());
  return id;
}

Result<std::optional<Photo>> SqliteCatalog::FindPhotoForViewer(std::string_view hash,
                                                               Viewer viewer) {
  std::lock_guard lock(mu_);
  // Several owners may have this hash: prefer the viewer's own, then one shared with them.
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("SELECT " TESSERA_PHOTO_COLUMNS
          " FROM photos p WHERE p.hash = ?2 AND " TESSERA_VISIBLE_TO_VIEWER
          " ORDER BY p.owner_id IS ?1 DESC, EXISTS (SELECT 1 FROM "
          "shares s WHERE s.photo_id = p.id AND s.user_id = ?1) DESC, p.id LIMIT 1"));
  BindViewer(*stmt, viewer);
  stmt->Bind(2, hash);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<Photo>();
  return std::optional<Photo>(ReadPhoto(*stmt));
}

Result<std::vector<Photo>> SqliteCatalog::ListPhotos(Viewer viewer, int64_t offset, int64_t limit) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt, Use("SELECT " TESSERA_PHOTO_COLUMNS
                                                  " FROM photos p WHERE " TESSERA_VISIBLE_TO_VIEWER
                                                  " ORDER BY p.id LIMIT ?3 OFFSET ?2"));
  BindViewer(*stmt, viewer);
  stmt->Bind(2, std::max<int64_t>(offset, 0)).Bind(3, std::max<int64_t>(limit, 0));
  std::vector<Photo> photos;
  for (;;) {
    TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return photos;
    photos.push_back(ReadPhoto(*stmt));
  }
}

Status SqliteCatalog::Share(int64_t photo_id, int64_t user_id) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("INSERT INTO shares (photo_id, user_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING"));
  stmt->Bind(1, photo_id).Bind(2, user_id);
  return stmt->Run();
}

Status SqliteCatalog::Unshare(int64_t photo_id, int64_t user_id) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("DELETE FROM shares WHERE photo_id = ?1 AND user_id = ?2"));
  stmt->Bind(1, photo_id).Bind(2, user_id);
  return stmt->Run();
}

Status SqliteCatalog::SetPublic(int64_t photo_id, bool is_public) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("UPDATE photos SET is_public = ?2 WHERE id = ?1"));
  stmt->Bind(1, photo_id).Bind(2, int64_t{is_public ? 1 : 0});
  return RunChangingOne(stmt, fmt::format("photo {}", photo_id));
}

Status SqliteCatalog::RecordVariant(const Variant& variant) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(
      StatementUse stmt,
      Use("INSERT OR REPLACE INTO variants (photo_id, kind, recipe, width, height, bytes) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  stmt->Bind(1, variant.photo_id)
      .Bind(2, variant.kind)
      .Bind(3, variant.recipe)
      .Bind(4, int64_t{variant.width})
      .Bind(5, int64_t{variant.height})
      .Bind(6, variant.bytes);
  return stmt->Run();
}

Result<std::optional<Variant>> SqliteCatalog::FindVariant(int64_t photo_id, std::string_view kind) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("SELECT photo_id, kind, recipe, width, height, bytes FROM variants "
                               "WHERE photo_id = ?1 AND kind = ?2"));
  stmt->Bind(1, photo_id).Bind(2, kind);
  TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<Variant>();
  return std::optional<Variant>(ReadVariant(*stmt));
}

Result<std::vector<Variant>> SqliteCatalog::VariantsWithRecipeOtherThan(std::string_view kind,
                                                                        std::string_view recipe) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("SELECT photo_id, kind, recipe, width, height, bytes FROM variants "
                               "WHERE kind = ?1 AND recipe <> ?2 ORDER BY photo_id"));
  stmt->Bind(1, kind).Bind(2, recipe);
  std::vector<Variant> variants;
  for (;;) {
    TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return variants;
    variants.push_back(ReadVariant(*stmt));
  }
}

Status SqliteCatalog::ReplaceFaces(int64_t photo_id, const std::vector<Face>& faces) {
  return InTransaction([&]() -> Status {
    TESSERA_ASSIGN_OR_RETURN(StatementUse clear, Use("DELETE FROM faces WHERE photo_id = ?1"));
    clear->Bind(1, photo_id);
    TESSERA_RETURN_IF_ERROR(clear->Run());
    for (const Face& face : faces) {
      TESSERA_ASSIGN_OR_RETURN(StatementUse add,
                               Use("INSERT INTO faces (photo_id, idx, x, y, width, height, score) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
      add->Bind(1, photo_id)
          .Bind(2, int64_t{face.index})
          .Bind(3, int64_t{face.x})
          .Bind(4, int64_t{face.y})
          .Bind(5, int64_t{face.width})
          .Bind(6, int64_t{face.height})
          .Bind(7, face.score);
      TESSERA_RETURN_IF_ERROR(add->Run());
    }
    return Status::Ok();
  });
}

Result<std::vector<Face>> SqliteCatalog::FacesOfPhoto(int64_t photo_id) {
  std::lock_guard lock(mu_);
  TESSERA_ASSIGN_OR_RETURN(StatementUse stmt,
                           Use("SELECT idx, x, y, width, height, score FROM faces "
                               "WHERE photo_id = ?1 ORDER BY idx"));
  stmt->Bind(1, photo_id);
  std::vector<Face> faces;
  for (;;) {
    TESSERA_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return faces;
    faces.push_back(Face{photo_id, static_cast<int>(stmt->Int(0)), static_cast<int>(stmt->Int(1)),
                         static_cast<int>(stmt->Int(2)), static_cast<int>(stmt->Int(3)),
                         static_cast<int>(stmt->Int(4)), stmt->Double(5)});
  }
}

#undef TESSERA_PHOTO_COLUMNS
#undef TESSERA_VISIBLE_TO_VIEWER

}  // namespace tessera::library
