// The library scanner: walks a library folder and brings the catalog and the media store in
// line with it (new photos, changed files, moves, copies, deletions, stale variants, failures).
#ifndef TESSERA_LIBRARY_SCANNER_H_
#define TESSERA_LIBRARY_SCANNER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "src/library/catalog.h"
#include "src/library/media_store.h"
#include "src/library/variants.h"
#include "tessera/engine.h"
#include "tessera/status.h"

namespace tessera::library {

// The catalog's pseudo-variant kind that records how a photo's faces were found (its recipe).
inline constexpr char kFacesKind[] = "faces";

// Progress of a scan's second phase: the files it queued (new, changed, stale) being processed.
struct ScanProgress {
  int64_t files_done = 0;
  int64_t files_total = 0;
  std::string rel_path;  // the file just processed
  bool failed = false;   // whether that file failed
  std::string error;     // why, when it failed
};

struct ScanOptions {
  int workers = 1;  // files processed at once; >= 1
  // Called after each file, from the worker that processed it, one call at a time.
  std::function<void(const ScanProgress&)> on_progress;
  // The variants every photo gets. REQUIRES: not empty.
  std::vector<VariantSpec> variants = DefaultVariants();
  FaceOptions faces;
  // Who claims jobs in the catalog's queue: the same name after a restart, so that the jobs a
  // killed process held are taken back at once (Catalog::ReleaseClaims). Default: the host name.
  std::string worker_id;
  // How long a claimed job stays another host's before it may be taken over.
  int64_t lease_seconds = 600;
  // When set and true, workers stop after their current file and Scan returns kAborted
  // (nothing removed; the queued jobs wait for the next scan).
  const std::atomic<bool>* cancel = nullptr;
  // Unchanged files in the failure ledger are read again (a retry on request) instead of being
  // skipped; each new failure adds one to the file's attempts.
  bool retry_failures = false;
};

struct ScanReport {
  int64_t files_seen = 0;          // regular files found below the root
  int64_t unchanged = 0;           // same size and mtime as catalogued: only stat'ed
  int64_t files_read = 0;          // files whose content was read (hashed), for any reason
  int64_t new_photos = 0;          // photos that did not exist for this owner before
  int64_t variants_generated = 0;  // variants encoded and stored
  int64_t failed = 0;              // files that failed in this scan (decode or read)
  int64_t known_failures = 0;      // unchanged files that failed before: skipped, not read
  int64_t removed = 0;             // catalogued files no longer found
  int64_t queued = 0;              // files queued for processing (new, changed or stale)
  double seconds = 0;
};

// Thread-compatible: one Scan at a time per Scanner; scans of one library must not overlap.
// The catalog, engine and store must outlive the scanner.
class Scanner {
 public:
  Scanner(Catalog& catalog, const Engine& engine, const MediaStore& store, ScanOptions options);
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Two phases. The walk stats every file below `library.root` and queues in the catalog's job
  // queue the ones that need work; then `workers` threads claim and process queued jobs until
  // none is left (jobs left by an interrupted scan included). Hidden entries (name starting with
  // '.') are skipped; symlinked folders are not followed; a symlinked file is taken only when it
  // resolves to a regular file inside the root. For each file:
  //   - same size and mtime as its row: marked seen without reading it; only variants whose
  //     recorded recipe differs from the current one (or that are missing) are regenerated;
  //   - otherwise its quick hash is compared (a touched but unchanged file only gets its row
  //     updated), then its content hash names the owner's photo: an existing photo (a move or
  //     a copy) is reused without decoding when its variants are current;
  //   - a decode failure is recorded in the failure ledger (reason naming the file) and the
  //     file is skipped by later scans until its size or mtime changes. Files of unsupported
  //     types are recorded the same way.
  // Finally rows of files not found are removed, and ledger entries of vanished files cleared.
  // Errors: only the catalog's (the scan stops and removes nothing) or an unreadable root.
  // One bad file never stops a scan.
  Result<ScanReport> Scan(const Library& library);

  // Processes queued jobs of every library until none is left (claimable), walking nothing and
  // removing nothing: what `tessera worker` runs on hosts that share a PostgreSQL catalog (and
  // see the libraries at the same paths). Each file is marked seen by the scan that queued it,
  // so the walking host's sweep keeps it. Errors: only the catalog's.
  Result<ScanReport> Work();

 private:
  struct Entry;
  struct Counters;
  struct LibraryRoot {
    Library library;
    std::string root;  // canonical
  };
  // Stats rel_path below the canonical root; nullopt when it is not a regular file to take.
  static std::optional<Entry> StatEntry(const std::string& root, std::string rel_path);
  // Phase one for one file: marks an unchanged file seen; returns whether it needs a job.
  Result<bool> Triage(const Library& library, const Entry& entry, int64_t generation,
                      Counters& counters);
  // Phase two: claims and processes jobs until none is left: of `only`, or of every library.
  Status Drain(const std::optional<LibraryRoot>& only, int64_t queued, Counters& total);
  Status ProcessFile(const Library& library, const Entry& entry, int64_t generation,
                     Counters& counters);
  // `existing`: the file's row, or null when it has none.
  Status Import(const Library& library, const Entry& entry, const PhotoFile* existing,
                int64_t generation, Counters& counters);
  Status RefreshVariants(const Library& library, const Entry& entry, const PhotoFile& file,
                         int64_t generation, Counters& counters);
  Status RecordGenerated(int64_t photo_id, const GeneratedVariants& generated);
  Status HandleFailure(const Library& library, const Entry& entry, const Status& error,
                       const PhotoFile* existing, int64_t generation, Counters& counters);
  Result<std::vector<VariantSpec>> StaleSpecs(int64_t photo_id);
  // The catalog's metadata for a generated photo; `existing`: its row, when it has one.
  static PhotoMeta MetaFor(const Entry& entry, const GeneratedVariants& generated,
                           const Photo* existing);

  Catalog& catalog_;
  const Engine& engine_;
  const MediaStore& store_;
  ScanOptions options_;
};

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_SCANNER_H_
