// The PostgreSQL catalog's photos, their visibility and shares, stored variants and faces.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "src/library/content_hash.h"
#include "src/library/pg_catalog_impl.h"

namespace tessera::library {
namespace {

#define TESSERA_PHOTO_COLUMNS                                                       \
  "p.id, p.owner_id, p.hash, p.is_public, p.mime_type, p.width, p.height, p.size, " \
  "p.duration_seconds, p.placeholder, p.taken_at"

// Who may see photo p: $1 is the viewer's id, NULL for anonymous (every comparison with NULL is
// unknown, so only public photos remain).
#define TESSERA_SHARED_WITH_VIEWER \
  "EXISTS (SELECT 1 FROM shares s WHERE s.photo_id = p.id AND s.user_id = $1::bigint)"
#define TESSERA_VISIBLE_TO_VIEWER \
  "(p.is_public OR p.owner_id = $1::bigint OR " TESSERA_SHARED_WITH_VIEWER ")"

#define TESSERA_VARIANT_COLUMNS "photo_id, kind, recipe, width, height, bytes"

Photo ReadPhoto(const pqxx::row& row) {
  return Photo{
      row[0].as<int64_t>(), row[1].as<int64_t>(), row[2].as<std::string>(), row[3].as<bool>(),
      PhotoMeta{row[4].as<std::string>(), row[5].as<int>(), row[6].as<int>(), row[7].as<int64_t>(),
                row[8].as<double>(), row[9].as<std::string>(), row[10].as<int64_t>()}};
}

Variant ReadVariant(const pqxx::row& row) {
  return Variant{row[0].as<int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
                 row[3].as<int>(),     row[4].as<int>(),         row[5].as<int64_t>()};
}

}  // namespace

Result<int64_t> PgCatalog::UpsertPhoto(int64_t owner_id, std::string_view hash,
                                       const PhotoMeta& meta) {
  if (!IsContentHash(hash)) {
    return Status::InvalidArgument(fmt::format("catalog: malformed content hash '{}'", hash));
  }
  if (!IsStorableText(meta.mime_type) || !IsStorableText(meta.placeholder)) {
    return Status::InvalidArgument("catalog: MIME type or placeholder is not UTF-8 text");
  }
  std::lock_guard lock(mu_);
  return Run("upsert photo", [&](pqxx::transaction_base& tx) -> Result<int64_t> {
    pqxx::result result = tx.exec_prepared(
        Prepared("INSERT INTO photos (owner_id, hash, mime_type, width, height, size, "
                 "duration_seconds, placeholder, taken_at) SELECT $1::bigint, $2::text, $3::text, "
                 "$4::integer, $5::integer, $6::bigint, $7::double precision, $8::text, "
                 "$9::bigint WHERE EXISTS (SELECT 1 FROM users WHERE id = $1::bigint) "
                 "ON CONFLICT (owner_id, hash) DO UPDATE SET mime_type = excluded.mime_type, "
                 "width = excluded.width, height = excluded.height, size = excluded.size, "
                 "duration_seconds = excluded.duration_seconds, "
                 "placeholder = excluded.placeholder, taken_at = excluded.taken_at RETURNING id"),
        owner_id, std::string(hash), meta.mime_type, meta.width, meta.height, meta.size,
        meta.duration_seconds, meta.placeholder, meta.taken_at);
    if (result.empty())
      return Status::InvalidArgument(fmt::format("catalog: no user {}", owner_id));
    return result[0][0].as<int64_t>();
  });
}

Result<std::optional<Photo>> PgCatalog::FindPhotoForViewer(std::string_view hash, Viewer viewer) {
  // The schema holds only well-formed hashes: anything else matches nothing.
  if (!IsContentHash(hash)) return std::optional<Photo>();
  std::lock_guard lock(mu_);
  return Run("find photo", [&](pqxx::transaction_base& tx) -> Result<std::optional<Photo>> {
    // Several owners may have this hash: the viewer's own, then one shared with them (public or
    // not), then a public one; the lowest id among equals. Rows neither own nor shared are public.
    pqxx::result result = tx.exec_prepared(
        Prepared("SELECT " TESSERA_PHOTO_COLUMNS
                 " FROM photos p WHERE p.hash = $2 AND " TESSERA_VISIBLE_TO_VIEWER
                 " ORDER BY (p.owner_id = $1::bigint) IS TRUE DESC, " TESSERA_SHARED_WITH_VIEWER
                 " DESC, p.id LIMIT 1"),
        viewer, std::string(hash));
    if (result.empty()) return std::optional<Photo>();
    return std::optional<Photo>(ReadPhoto(result[0]));
  });
}

Result<std::vector<Photo>> PgCatalog::ListPhotos(Viewer viewer, int64_t offset, int64_t limit) {
  std::lock_guard lock(mu_);
  return Run("list photos", [&](pqxx::transaction_base& tx) -> Result<std::vector<Photo>> {
    pqxx::result result = tx.exec_prepared(
        Prepared("SELECT " TESSERA_PHOTO_COLUMNS " FROM photos p WHERE " TESSERA_VISIBLE_TO_VIEWER
                 " ORDER BY p.id LIMIT $3 OFFSET $2"),
        viewer, std::max<int64_t>(offset, 0), std::max<int64_t>(limit, 0));
    std::vector<Photo> photos;
    photos.reserve(result.size());
    for (const pqxx::row& row : result) photos.push_back(ReadPhoto(row));
    return photos;
  });
}

Status PgCatalog::Share(int64_t photo_id, int64_t user_id) {
  std::lock_guard lock(mu_);
  return Run("share photo", [&](pqxx::transaction_base& tx) -> Status {
    // ON CONFLICT makes it idempotent, so "nothing inserted" cannot tell an unknown photo or
    // user: the statement reports that separately.
    pqxx::result result = tx.exec_prepared(
        Prepared("WITH known AS (SELECT EXISTS (SELECT 1 FROM photos WHERE id = $1::bigint) "
                 "AND EXISTS (SELECT 1 FROM users WHERE id = $2::bigint) AS ok), "
                 "added AS (INSERT INTO shares (photo_id, user_id) "
                 "SELECT $1::bigint, $2::bigint FROM known WHERE ok ON CONFLICT DO NOTHING) "
                 "SELECT ok FROM known"),
        photo_id, user_id);
    if (!result[0][0].as<bool>()) {
      return Status::InvalidArgument(fmt::format(
          "catalog: cannot share photo {} with user {}: no such photo or user", photo_id, user_id));
    }
    return Status::Ok();
  });
}

Status PgCatalog::Unshare(int64_t photo_id, int64_t user_id) {
  std::lock_guard lock(mu_);
  return Run("unshare photo", [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_prepared(Prepared("DELETE FROM shares WHERE photo_id = $1 AND user_id = $2"), photo_id,
                     user_id);
    return Status::Ok();
  });
}

Status PgCatalog::SetPublic(int64_t photo_id, bool is_public) {
  std::lock_guard lock(mu_);
  return Run("set public", [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result result = tx.exec_prepared(
        Prepared("UPDATE photos SET is_public = $2 WHERE id = $1"), photo_id, is_public);
    if (result.affected_rows() == 0) {
      return Status::NotFound(fmt::format("catalog: no photo {}", photo_id));
    }
    return Status::Ok();
  });
}

Status PgCatalog::RecordVariant(const Variant& variant) {
  if (!IsStorableText(variant.kind) || !IsStorableText(variant.recipe)) {
    return Status::InvalidArgument("catalog: variant kind or recipe is not UTF-8 text");
  }
  std::lock_guard lock(mu_);
  return Run("record variant", [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result result = tx.exec_prepared(
        Prepared("INSERT INTO variants (" TESSERA_VARIANT_COLUMNS
                 ") SELECT $1::bigint, $2::text, $3::text, $4::integer, $5::integer, $6::bigint "
                 "WHERE EXISTS (SELECT 1 FROM photos WHERE id = $1::bigint) "
                 "ON CONFLICT (photo_id, kind) DO UPDATE SET recipe = excluded.recipe, "
                 "width = excluded.width, height = excluded.height, bytes = excluded.bytes"),
        variant.photo_id, variant.kind, variant.recipe, variant.width, variant.height,
        variant.bytes);
    if (result.affected_rows() == 0) {
      return Status::InvalidArgument(fmt::format("catalog: no photo {}", variant.photo_id));
    }
    return Status::Ok();
  });
}

Result<std::optional<Variant>> PgCatalog::FindVariant(int64_t photo_id, std::string_view kind) {
  if (!IsStorableText(kind)) return std::optional<Variant>();
  std::lock_guard lock(mu_);
  return Run("find variant", [&](pqxx::transaction_base& tx) -> Result<std::optional<Variant>> {
    pqxx::result result =
        tx.exec_prepared(Prepared("SELECT " TESSERA_VARIANT_COLUMNS
                                  " FROM variants WHERE photo_id = $1 AND kind = $2"),
                         photo_id, std::string(kind));
    if (result.empty()) return std::optional<Variant>();
    return std::optional<Variant>(ReadVariant(result[0]));
  });
}

Result<std::vector<Variant>> PgCatalog::VariantsWithRecipeOtherThan(std::string_view kind,
                                                                    std::string_view recipe) {
  if (!IsStorableText(kind)) return std::vector<Variant>();
  // A recipe TEXT cannot hold differs from every stored one: NULL stands for it.
  std::optional<std::string> wanted;
  if (IsStorableText(recipe)) wanted.emplace(recipe);
  std::lock_guard lock(mu_);
  return Run("stale variants", [&](pqxx::transaction_base& tx) -> Result<std::vector<Variant>> {
    pqxx::result result = tx.exec_prepared(
        Prepared("SELECT " TESSERA_VARIANT_COLUMNS
                 " FROM variants WHERE kind = $1 AND recipe IS DISTINCT FROM $2::text "
                 "ORDER BY photo_id"),
        std::string(kind), wanted);
    std::vector<Variant> variants;
    variants.reserve(result.size());
    for (const pqxx::row& row : result) variants.push_back(ReadVariant(row));
    return variants;
  });
}

Status PgCatalog::ReplaceFaces(int64_t photo_id, const std::vector<Face>& faces) {
  // Refused before anything is sent, so that a duplicate is not a server error.
  std::set<int> indexes;
  for (const Face& face : faces) {
    if (!indexes.insert(face.index).second) {
      return Status::InvalidArgument(
          fmt::format("catalog: photo {} has two faces with index {}", photo_id, face.index));
    }
  }
  return InTransaction([&]() -> Status {
    return Run("replace faces", [&](pqxx::transaction_base& tx) -> Status {
      tx.exec_prepared(Prepared("DELETE FROM faces WHERE photo_id = $1"), photo_id);
      for (const Face& face : faces) {
        pqxx::result added = tx.exec_prepared(
            Prepared("INSERT INTO faces (photo_id, idx, x, y, width, height, score) "
                     "SELECT $1::bigint, $2::integer, $3::integer, $4::integer, $5::integer, "
                     "$6::integer, $7::double precision "
                     "WHERE EXISTS (SELECT 1 FROM photos WHERE id = $1::bigint)"),
            photo_id, face.index, face.x, face.y, face.width, face.height, face.score);
        if (added.affected_rows() == 0) {
          return Status::InvalidArgument(fmt::format("catalog: no photo {}", photo_id));
        }
      }
      return Status::Ok();
    });
  });
}

Result<std::vector<Face>> PgCatalog::FacesOfPhoto(int64_t photo_id) {
  std::lock_guard lock(mu_);
  return Run("faces of photo", [&](pqxx::transaction_base& tx) -> Result<std::vector<Face>> {
    pqxx::result result =
        tx.exec_prepared(Prepared("SELECT idx, x, y, width, height, score FROM faces "
                                  "WHERE photo_id = $1 ORDER BY idx"),
                         photo_id);
    std::vector<Face> faces;
    faces.reserve(result.size());
    for (const pqxx::row& row : result) {
      faces.push_back(Face{photo_id, row[0].as<int>(), row[1].as<int>(), row[2].as<int>(),
                           row[3].as<int>(), row[4].as<int>(), row[5].as<double>()});
    }
    return faces;
  });
}

#undef TESSERA_PHOTO_COLUMNS
#undef TESSERA_SHARED_WITH_VIEWER
#undef TESSERA_VISIBLE_TO_VIEWER
#undef TESSERA_VARIANT_COLUMNS

}  // namespace tessera::library
