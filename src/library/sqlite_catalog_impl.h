// The SQLite catalog's class, shared by the .cc files that implement it. Internal: use
// OpenSqliteCatalog (sqlite_catalog.h).
#ifndef TESSERA_LIBRARY_SQLITE_CATALOG_IMPL_H_
#define TESSERA_LIBRARY_SQLITE_CATALOG_IMPL_H_

#include <map>
#include <mutex>
#include <string>

#include "src/library/catalog.h"
#include "src/library/sqlite_statement.h"

namespace tessera::library {

class SqliteCatalog final : public Catalog {
 public:
  explicit SqliteCatalog(SqliteDb db) : db_(std::move(db)) {}
  SqliteCatalog(const SqliteCatalog&) = delete;
  SqliteCatalog& operator=(const SqliteCatalog&) = delete;

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
  // The cached statement for `sql`, prepared on first use.
  // REQUIRES: mu_ is held; `sql` is a string literal (it is the cache key).
  Result<StatementUse> Use(const char* sql);
  // Runs a statement that must change exactly one row; kNotFound (with `what`) otherwise.
  Status RunChangingOne(StatementUse& stmt, std::string_view what);

  // Recursive: InTransaction holds it while its body makes calls that take it again.
  std::recursive_mutex mu_;
  SqliteDb db_;
  std::map<const char*, Statement> statements_;  // keyed by the literal's address
  int transaction_depth_ = 0;
};

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_SQLITE_CATALOG_IMPL_H_
