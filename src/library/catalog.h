// The media library's catalog: users, their library folders, photos (identified by owner and
// content hash), the files that hold them, stored variants, shares and the per-file failure
// ledger. An abstract interface so that a PostgreSQL implementation can follow the SQLite one
// (sqlite_catalog.h).
//
// Thread safety: every implementation is safe to use from several threads at once. A call is
// atomic on its own; InTransaction makes a group of calls atomic.
#ifndef TESSERA_LIBRARY_CATALOG_H_
#define TESSERA_LIBRARY_CATALOG_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/status.h"

namespace tessera::library {

struct User {
  int64_t id = 0;
  std::string name;           // unique, used to sign in
  std::string first_name;     // for avatar URLs; AddUser defaults it to `name`
  std::string password_hash;  // argon2id encoded form (passwords.h), empty: cannot sign in
  std::string avatar_hash;    // content hash of the stored avatar PNG, empty: none
};

// A folder a user owns; every file below it is that user's.
struct Library {
  int64_t id = 0;
  int64_t owner_id = 0;
  std::string root;
};

// What the scanner learns from a photo's content; identical for every copy of it.
struct PhotoMeta {
  std::string mime_type;
  int width = 0;
  int height = 0;
  int64_t size = 0;
  double duration_seconds = 0;  // 0 for still images
  std::string placeholder;      // base64 ThumbHash for instant display, may be empty
  int64_t taken_at = 0;         // seconds since the epoch: when it was taken (EXIF) or its mtime
};

// One owner's photo. Identity is (owner_id, hash): two users with the same file have two photos.
struct Photo {
  int64_t id = 0;
  int64_t owner_id = 0;
  std::string hash;  // 64 lowercase hex: BLAKE2b-256 of the content
  bool is_public = false;
  PhotoMeta meta;
};

// A file below a library's root. Several files (copies) may point at one photo.
struct PhotoFile {
  int64_t library_id = 0;
  std::string rel_path;  // relative to the library's root
  int64_t size = 0;
  int64_t mtime_ns = 0;
  std::string quick_hash;  // XXH3 hex, for change detection only
  int64_t photo_id = 0;
  int64_t seen_generation = 0;  // the last scan that saw it
};

// A stored derived image, by its MediaStore kind ("thumbnails_big", "square_thumbnails",
// "small_square_thumbnails"), and the recipe that made it.
struct Variant {
  int64_t photo_id = 0;
  std::string kind;
  std::string recipe;  // e.g. "big fit 4096x1080 jpeg q85 engine 0.1.0"
  int width = 0;
  int height = 0;
  int64_t bytes = 0;
};

// A file that could not be processed; retried when it changes or on request.
struct FileFailure {
  int64_t library_id = 0;
  std::string rel_path;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  std::string reason;
  int attempts = 0;
};

// A face found on a photo's big thumbnail; the box is in that image's pixels. `index` numbers
// the photo's faces from 0 in the detector's stable order and names /media/faces/<hash>_<n>.jpg.
struct Face {
  int64_t photo_id = 0;
  int index = 0;
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  double score = 0;
};

// A file waiting to be processed. The queue lives in the catalog, so that a scan interrupted
// by a crash resumes where it stopped and, with a shared catalog, workers on other hosts help.
struct Job {
  int64_t id = 0;
  int64_t library_id = 0;
  std::string rel_path;
  int attempts = 0;  // how many times it was claimed, this claim included
  // The scan that queued it (its files are marked seen by that scan, whoever processes them);
  // 0 for jobs queued before the catalog recorded it.
  int64_t generation = 0;
};

struct JobCounts {
  int64_t pending = 0;  // waiting, or claimed by a worker whose lease ran out
  int64_t claimed = 0;  // being processed under a live lease
};

// Who is looking: a signed-in user's id, or std::nullopt for an anonymous request.
using Viewer = std::optional<int64_t>;

// Errors: kInvalidArgument for a broken constraint (duplicate user name, unknown owner, malformed
// hash), kNotFound when the row to change does not exist, kIOError when the store is busy or the
// disk fails, kCorrupt for a damaged store. Lookups that may find nothing return std::nullopt.
class Catalog {
 public:
  virtual ~Catalog() = default;

  // Runs `body`; commits when it returns OK, rolls back everything it did otherwise and returns
  // its Status. Other threads' calls wait until it ends. May be nested (the inner one rolls back
  // only its own part when it fails).
  virtual Status InTransaction(const std::function<Status()>& body) = 0;

  // --- Users.
  // Returns the new id; ignores user.id. kInvalidArgument when the name is taken or empty.
  virtual Result<int64_t> AddUser(const User& user) = 0;
  virtual Result<std::optional<User>> FindUserByName(std::string_view name) = 0;
  virtual Result<std::optional<User>> FindUserById(int64_t id) = 0;
  virtual Status SetPassword(int64_t user_id, std::string_view password_hash) = 0;
  // `hash` empty removes the avatar. kNotFound for an unknown user.
  virtual Status SetAvatar(int64_t user_id, std::string_view hash) = 0;
  // The user whose avatar has this content hash.
  virtual Result<std::optional<User>> FindUserByAvatar(std::string_view hash) = 0;

  // --- Revoked tokens (logout). Rows past their expiry may be purged: the token is dead anyway.
  virtual Status RevokeToken(std::string_view token_id, int64_t expires_at) = 0;
  virtual Result<bool> IsTokenRevoked(std::string_view token_id) = 0;
  // Forgets revocations of tokens expired before `now`; returns how many.
  virtual Result<int64_t> PurgeRevokedTokens(int64_t now) = 0;

  // --- Library folders.
  virtual Result<int64_t> AddLibrary(int64_t owner_id, std::string_view root) = 0;
  // One owner's folders, or everyone's when `owner_id` is empty; ordered by id.
  virtual Result<std::vector<Library>> Libraries(std::optional<int64_t> owner_id) = 0;

  // --- Files.
  virtual Result<std::optional<PhotoFile>> FindFile(int64_t library_id,
                                                    std::string_view rel_path) = 0;
  // Every file row pointing at `photo_id` (copies, and a file seen under several names), by
  // library and path: where the server finds a photo's original.
  virtual Result<std::vector<PhotoFile>> FilesOfPhoto(int64_t photo_id) = 0;
  // Inserts or replaces the row for (library_id, rel_path).
  // REQUIRES: the photo and the library have the same owner (else kInvalidArgument).
  virtual Status UpsertFile(const PhotoFile& file) = 0;
  // Records that scan `generation` saw an unchanged file. kNotFound when it is not catalogued.
  // Generations only go up: marking a file seen by an older scan than its last one (a worker on
  // another host finishing an old job) changes nothing; UpsertFile keeps the later one too.
  virtual Status MarkSeen(int64_t library_id, std::string_view rel_path, int64_t generation) = 0;
  // Deletes the library's files last seen before `generation`: the ones the scan did not find.
  // Returns how many. Photos left without files are kept (their variants and shares too).
  virtual Result<int64_t> RemoveFilesNotSeen(int64_t library_id, int64_t generation) = 0;
  // A move inside a library: the row keeps its photo. A row already at `to` is replaced.
  virtual Status RenameFile(int64_t library_id, std::string_view from, std::string_view to) = 0;

  // --- Photos.
  // Returns the id of the owner's photo with this hash, creating it, or updating its metadata
  // when it exists (its sharing is kept). kInvalidArgument when `hash` is not 64 lowercase hex.
  virtual Result<int64_t> UpsertPhoto(int64_t owner_id, std::string_view hash,
                                      const PhotoMeta& meta) = 0;
  // The photo with this hash that `viewer` may see: their own first, then one shared with them,
  // then a public one. A photo they may not see is reported exactly like a missing hash.
  virtual Result<std::optional<Photo>> FindPhotoForViewer(std::string_view hash, Viewer viewer) = 0;
  // Every photo `viewer` may see (own, shared with them, public), ordered by id.
  virtual Result<std::vector<Photo>> ListPhotos(Viewer viewer, int64_t offset, int64_t limit) = 0;
  // Idempotent. kInvalidArgument when the photo or user does not exist.
  virtual Status Share(int64_t photo_id, int64_t user_id) = 0;
  virtual Status Unshare(int64_t photo_id, int64_t user_id) = 0;
  virtual Status SetPublic(int64_t photo_id, bool is_public) = 0;

  // --- Variants.
  // Inserts or replaces the variant of this kind.
  virtual Status RecordVariant(const Variant& variant) = 0;
  virtual Result<std::optional<Variant>> FindVariant(int64_t photo_id, std::string_view kind) = 0;
  // Variants of `kind` made by another recipe: the ones a settings change makes stale.
  virtual Result<std::vector<Variant>> VariantsWithRecipeOtherThan(std::string_view kind,
                                                                   std::string_view recipe) = 0;

  // --- Faces.
  // Replaces the photo's faces (an empty list records that it has none).
  virtual Status ReplaceFaces(int64_t photo_id, const std::vector<Face>& faces) = 0;
  // Ordered by index.
  virtual Result<std::vector<Face>> FacesOfPhoto(int64_t photo_id) = 0;

  // --- Job queue.
  // Queues (library_id, rel_path) for scan `generation`; a job already queued keeps its place
  // and takes the later of the two generations.
  virtual Status EnqueueJob(int64_t library_id, std::string_view rel_path,
                            int64_t generation) = 0;
  // Claims the oldest job of the library (of any library when empty) that is unclaimed or whose
  // lease ended before `now`, for `worker` until `now + lease_seconds`. Two workers never hold
  // the same job under a live lease.
  virtual Result<std::optional<Job>> ClaimJob(std::optional<int64_t> library_id,
                                              std::string_view worker, int64_t now,
                                              int64_t lease_seconds) = 0;
  // Makes every job `worker` holds claimable again: a restarted worker takes back what it held
  // when it died, without waiting for the leases to run out.
  virtual Status ReleaseClaims(std::string_view worker) = 0;
  // Removes a finished job (done or failed: failures go to the ledger). Idempotent.
  virtual Status FinishJob(int64_t job_id) = 0;
  virtual Result<JobCounts> CountJobs(std::optional<int64_t> library_id, int64_t now) = 0;

  // --- Failure ledger.
  // Records a failure and returns its attempt count: one more than before when the file is
  // unchanged (same size and mtime), 1 when it is new or has changed since.
  virtual Result<int> RecordFailure(const FileFailure& failure) = 0;
  virtual Result<std::optional<FileFailure>> FindFailure(int64_t library_id,
                                                         std::string_view rel_path) = 0;
  virtual Status ClearFailure(int64_t library_id, std::string_view rel_path) = 0;
  virtual Result<std::vector<FileFailure>> Failures(int64_t library_id) = 0;
};

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_CATALOG_H_
