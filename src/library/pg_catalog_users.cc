// The PostgreSQL catalog's users and library folders.
//
// Statements that could break a constraint check it themselves and change nothing instead (ON
// CONFLICT DO NOTHING, WHERE EXISTS): a server error would abort the caller's transaction, while
// in SQLite a refused call leaves it usable.
#include <fmt/format.h>

#include "src/library/pg_catalog_impl.h"

namespace tessera::library {
namespace {

#define TESSERA_USER_COLUMNS "id, name, first_name, password_hash, avatar_hash"

User ReadUser(const pqxx::row& row) {
  return User{row[0].as<int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
              row[3].as<std::string>(), row[4].as<std::string>()};
}

std::optional<User> FirstUser(const pqxx::result& result) {
  if (result.empty()) return std::nullopt;
  return ReadUser(result[0]);
}

}  // namespace

Result<int64_t> PgCatalog::AddUser(const User& user) {
  if (user.name.empty()) return Status::InvalidArgument("catalog: empty user name");
  const std::string& first_name = user.first_name.empty() ? user.name : user.first_name;
  if (!IsStorableText(user.name) || !IsStorableText(first_name) ||
      !IsStorableText(user.password_hash)) {
    return Status::InvalidArgument("catalog: user name or password hash is not UTF-8 text");
  }
  std::lock_guard lock(mu_);
  return Run("add user", [&](pqxx::transaction_base& tx) -> Result<int64_t> {
    pqxx::result result = tx.exec_prepared(
        Prepared("INSERT INTO users (name, first_name, password_hash) VALUES ($1, $2, $3) "
                 "ON CONFLICT (name) DO NOTHING RETURNING id"),
        user.name, first_name, user.password_hash);
    if (result.empty()) {
      return Status::InvalidArgument(fmt::format("catalog: user name '{}' is taken", user.name));
    }
    return result[0][0].as<int64_t>();
  });
}

Result<std::optional<User>> PgCatalog::FindUserByName(std::string_view name) {
  if (!IsStorableText(name)) return std::optional<User>();  // no user can have it
  std::lock_guard lock(mu_);
  return Run("find user", [&](pqxx::transaction_base& tx) -> Result<std::optional<User>> {
    return FirstUser(tx.exec_prepared(
        Prepared("SELECT " TESSERA_USER_COLUMNS " FROM users WHERE name = $1"), std::string(name)));
  });
}

Result<std::optional<User>> PgCatalog::FindUserById(int64_t id) {
  std::lock_guard lock(mu_);
  return Run("find user", [&](pqxx::transaction_base& tx) -> Result<std::optional<User>> {
    return FirstUser(
        tx.exec_prepared(Prepared("SELECT " TESSERA_USER_COLUMNS " FROM users WHERE id = $1"), id));
  });
}

Status PgCatalog::SetPassword(int64_t user_id, std::string_view password_hash) {
  if (!IsStorableText(password_hash)) {
    return Status::InvalidArgument("catalog: password hash is not UTF-8 text");
  }
  std::lock_guard lock(mu_);
  return Run("set password", [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result result =
        tx.exec_prepared(Prepared("UPDATE users SET password_hash = $2 WHERE id = $1"), user_id,
                         std::string(password_hash));
    if (result.affected_rows() == 0) {
      return Status::NotFound(fmt::format("catalog: no user {}", user_id));
    }
    return Status::Ok();
  });
}

Status PgCatalog::SetAvatar(int64_t user_id, std::string_view hash) {
  if (!IsStorableText(hash)) return Status::InvalidArgument("catalog: avatar hash is not text");
  std::lock_guard lock(mu_);
  return Run("set avatar", [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result result = tx.exec_prepared(
        Prepared("UPDATE users SET avatar_hash = $2 WHERE id = $1"), user_id, std::string(hash));
    if (result.affected_rows() == 0) {
      return Status::NotFound(fmt::format("catalog: no user {}", user_id));
    }
    return Status::Ok();
  });
}

Result<std::optional<User>> PgCatalog::FindUserByAvatar(std::string_view hash) {
  if (hash.empty() || !IsStorableText(hash)) return std::optional<User>();
  std::lock_guard lock(mu_);
  return Run("find user by avatar", [&](pqxx::transaction_base& tx) -> Result<std::optional<User>> {
    return FirstUser(tx.exec_prepared(
        Prepared("SELECT " TESSERA_USER_COLUMNS " FROM users "
                 "WHERE avatar_hash = $1 AND avatar_hash <> '' ORDER BY id LIMIT 1"),
        std::string(hash)));
  });
}

Result<int64_t> PgCatalog::AddLibrary(int64_t owner_id, std::string_view root) {
  std::lock_guard lock(mu_);
  return Run("add library", [&](pqxx::transaction_base& tx) -> Result<int64_t> {
    pqxx::result result = tx.exec_prepared(
        Prepared("INSERT INTO libraries (owner_id, root) SELECT $1::bigint, $2::bytea "
                 "WHERE EXISTS (SELECT 1 FROM users WHERE id = $1::bigint) "
                 "ON CONFLICT (owner_id, root) DO NOTHING RETURNING id"),
        owner_id, Bytes(root));
    if (result.empty()) {
      return Status::InvalidArgument(fmt::format(
          "catalog: library {}: no user {}, or it is already their library", root, owner_id));
    }
    return result[0][0].as<int64_t>();
  });
}

Result<std::vector<Library>> PgCatalog::Libraries(std::optional<int64_t> owner_id) {
  std::lock_guard lock(mu_);
  return Run("list libraries", [&](pqxx::transaction_base& tx) -> Result<std::vector<Library>> {
    pqxx::result result =
        tx.exec_prepared(Prepared("SELECT id, owner_id, root FROM libraries "
                                  "WHERE $1::bigint IS NULL OR owner_id = $1::bigint ORDER BY id"),
                         owner_id);
    std::vector<Library> libraries;
    libraries.reserve(result.size());
    for (const pqxx::row& row : result) {
      libraries.push_back(Library{row[0].as<int64_t>(), row[1].as<int64_t>(), BytesOf(row[2])});
    }
    return libraries;
  });
}

#undef TESSERA_USER_COLUMNS

}  // namespace tessera::library
