// The PostgreSQL catalog's class and helpers, shared by the .cc files that implement it.
// Internal: use OpenPostgresCatalog (pg_catalog.h).
#ifndef TESSERA_LIBRARY_PG_CATALOG_IMPL_H_
#define TESSERA_LIBRARY_PG_CATALOG_IMPL_H_

#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/library/catalog.h"

namespace tessera::library {

// The password of a connection string, as written and decoded, so that it can be cut out of
// libpq's messages (which may quote a malformed part of the string).
class PgSecrets {
 public:
  static PgSecrets Of(std::string_view conninfo);

  // `text` with every secret replaced by "***".
  std::string Scrub(std::string text) const;
  Status Scrub(const Status& status) const;

 private:
  std::vector<std::string> secrets_;
};

// The Status kind for a SQLSTATE: constraint and data errors are kInvalidArgument, lost
// connections, timeouts and full disks kIOError, damaged pages kCorrupt, the rest kInternal.
StatusCode PgStatusCodeFor(std::string_view sqlstate);

// "catalog: <what>: <message>" for an exception from libpqxx (or anything else). Sets
// `*connection_lost` when the connection cannot be used any more.
Status PgErrorStatus(const std::exception& e, std::string_view what, bool* connection_lost);

// Whether PostgreSQL's TEXT can hold `text` unchanged: valid UTF-8 without NUL bytes.
bool IsStorableText(std::string_view text);

// A bytea parameter (sent in binary, so any byte survives) and a bytea column's bytes.
inline pqxx::binarystring Bytes(std::string_view bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}
inline std::string BytesOf(const pqxx::field& field) { return pqxx::binarystring(field).str(); }

// A connection that never reconnects behind our back (the catalog decides when that is safe),
// speaking UTF-8, with the session settings the catalog relies on.
Result<std::unique_ptr<pqxx::connection>> PgConnect(const std::string& conninfo,
                                                    const PgSecrets& secrets);

class PgCatalog final : public Catalog {
 public:
  // REQUIRES: `conn` is connected to `conninfo` and its schema is migrated.
  PgCatalog(std::string conninfo, PgSecrets secrets, std::unique_ptr<pqxx::connection> conn)
      : conninfo_(std::move(conninfo)), secrets_(std::move(secrets)), conn_(std::move(conn)) {}
  PgCatalog(const PgCatalog&) = delete;
  PgCatalog& operator=(const PgCatalog&) = delete;

  Status InTransaction(const std::function<Status()>& body) override;

  Result<int64_t> AddUser(const User& user) override;
  Result<std::optional<User>> FindUserByName(std::string_view name) override;
  Result<std::optional<User>> FindUserById(int64_t id) override;
  Status SetPassword(int64_t user_id, std::string_view password_hash) override;
  Status SetAvatar(int64_t user_id, std::string_view hash) override;
  Result<std::optional<User>> FindUserByAvatar(std::string_view hash) override;
  Status RevokeToken(std::string_view token_id, int64_t expires_at) override;
  Result<bool> IsTokenRevoked(std::string_view token_id) override;
  Result<int64_t> PurgeRevokedTokens(int64_t now) override;
  Result<int64_t> AddLibrary(int64_t owner_id, std::string_view root) override;
  Result<std::vector<Library>> Libraries(std::optional<int64_t> owner_id) override;

  Result<std::optional<PhotoFile>> FindFile(int64_t library_id, std::string_view rel_path) override;
  Result<std::vector<PhotoFile>> FilesOfPhoto(int64_t photo_id) override;
  Status UpsertFile(const PhotoFile& file) override;
  Status MarkSeen(int64_t library_id, std::string_view rel_path, int64_t generation) override;
  Result<int64_t> RemoveFilesNotSeen(int64_t library_id, int64_t generation) override;
  Status RenameFile(int64_t library_id, std::string_view from, std::string_view to) override;

  Result<int64_t> UpsertPhoto(int64_t owner_id, std::string_view hash,
                              const PhotoMeta& meta) override;
  Result<std::optional<Photo>> FindPhotoForViewer(std::string_view hash, Viewer viewer) override;
  Result<std::vector<Photo>> ListPhotos(Viewer viewer, int64_t offset, int64_t limit) override;
  Status Share(int64_t photo_id, int64_t user_id) override;
  Status Unshare(int64_t photo_id, int64_t user_id) override;
  Status SetPublic(int64_t photo_id, bool is_public) override;

  Status RecordVariant(const Variant& variant) override;
  Result<std::optional<Variant>> FindVariant(int64_t photo_id, std::string_view kind) override;
  Result<std::vector<Variant>> VariantsWithRecipeOtherThan(std::string_view kind,
                                                           std::string_view recipe) override;

  Status ReplaceFaces(int64_t photo_id, const std::vector<Face>& faces) override;
  Result<std::vector<Face>> FacesOfPhoto(int64_t photo_id) override;

  Status EnqueueJob(int64_t library_id, std::string_view rel_path, int64_t generation) override;
  Result<std::optional<Job>> ClaimJob(std::optional<int64_t> library_id, std::string_view worker,
                                      int64_t now, int64_t lease_seconds) override;
  Status ReleaseClaims(std::string_view worker) override;
  Status FinishJob(int64_t job_id) override;
  Result<JobCounts> CountJobs(std::optional<int64_t> library_id, int64_t now) override;

  Result<int> RecordFailure(const FileFailure& failure) override;
  Result<std::optional<FileFailure>> FindFailure(int64_t library_id,
                                                 std::string_view rel_path) override;
  Status ClearFailure(int64_t library_id, std::string_view rel_path) override;
  Result<std::vector<FileFailure>> Failures(int64_t library_id) override;

 private:
  // Runs `fn(tx)`, which executes statements through tx.exec_prepared(Prepared(sql), ...) and
  // reads their rows, and returns what it returns (a Status or a Result). Any exception becomes
  // a Status. Outside InTransaction every statement commits on its own.
  // REQUIRES: mu_ is held; `fn` calls no other catalog method.
  template <typename Fn>
  auto Run(std::string_view what, Fn&& fn)
      -> decltype(fn(std::declval<pqxx::transaction_base&>())) {
    TESSERA_RETURN_IF_ERROR(Ready());
    try {
      pqxx::nontransaction tx(*conn_);
      auto result = fn(static_cast<pqxx::transaction_base&>(tx));
      tx.commit();
      return result;
    } catch (const std::exception& e) {
      return Failed(e, what);
    } catch (...) {
      return Failed(std::runtime_error("unknown exception"), what);
    }
  }

  // The name of the prepared statement for `sql`, declared on first use.
  // REQUIRES: mu_ is held; `sql` is a string literal (its address is the cache key).
  const std::string& Prepared(const char* sql);
  // OK when a statement may run now: reconnects a lost connection outside a transaction; inside
  // one, fails once a call has aborted it.
  Status Ready();
  // The Status for `e`; notes a lost connection and an aborted transaction level.
  Status Failed(const std::exception& e, std::string_view what);
  // Runs transaction control (BEGIN, SAVEPOINT, ...) on the current connection, never a new one.
  Status Control(const char* sql);

  // Recursive: InTransaction holds it while its body makes calls that take it again.
  std::recursive_mutex mu_;
  const std::string conninfo_;  // may hold a password: never put it in a message
  const PgSecrets secrets_;
  std::unique_ptr<pqxx::connection> conn_;       // null once lost, until the next call reconnects
  std::map<const char*, std::string> prepared_;  // of conn_, keyed by the literal's address
  // One entry per open InTransaction level, innermost last: OK, or the failure that aborted it
  // (PostgreSQL then refuses every statement until it rolls back).
  std::vector<Status> levels_;
};

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_PG_CATALOG_IMPL_H_
