#include "src/library/scanner.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "src/library/content_hash.h"
#include "src/library/face_variants.h"
#include "src/media/exif_date.h"

namespace tessera::library {

namespace fs = std::filesystem;

struct Scanner::Entry {
  std::string rel_path;  // relative to the canonical root
  std::string path;      // what is read: the file itself, or a symlink's target inside the root
  int64_t size = 0;
  int64_t mtime_ns = 0;
};

struct Scanner::Counters : ScanReport {
  std::string last_error;  // of the latest failure, for the progress callback

  void Add(const Counters& o) {
    files_seen += o.files_seen;
    unchanged += o.unchanged;
    files_read += o.files_read;
    new_photos += o.new_photos;
    variants_generated += o.variants_generated;
    failed += o.failed;
    known_failures += o.known_failures;
  }
};

namespace {

// A scan's generation: the wall clock in nanoseconds, strictly increasing within the process.
// Every row a scan touches gets it, so rows with an older one were not found. (A clock set back
// between two scans only delays the removal of deleted files until it catches up.)
int64_t NextGeneration() {
  static std::atomic<int64_t> last{0};
  int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  int64_t prev = last.load();
  int64_t next;
  do {
    next = std::max(now, prev + 1);
  } while (!last.compare_exchange_weak(prev, next));
  return next;
}

bool IsHidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

bool IsInside(const fs::path& path, const std::string& root) {
  const std::string s = path.string();
  if (root == "/") return s.size() > 1 && s[0] == '/';
  return s.size() > root.size() && s.compare(0, root.size(), root) == 0 && s[root.size()] == '/';
}

// Failures of the environment rather than of the file: not recorded, the file stays catalogued.
bool IsTransient(const Status& s) {
  return s.code() == StatusCode::kIOError || s.code() == StatusCode::kPermissionDenied ||
         s.code() == StatusCode::kNotFound;
}

// Collects the regular files below `root` (canonical), in directory order.
Result<std::vector<std::string>> ListRelPaths(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Status::FromErrno(ec.value(), fmt::format("scan: {}", root));
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Status::FromErrno(ec.value(), fmt::format("scan: {}", root));
    if (IsHidden(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    // Symlinked folders are never entered (the iterator does not follow them); files are
    // filtered when they are stat'ed.
    out.push_back(it->path().lexically_relative(root).string());
  }
  if (ec) return Status::FromErrno(ec.value(), fmt::format("scan: {}", root));
  return out;
}

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Scanner::Scanner(Catalog& catalog, const Engine& engine, const MediaStore& store,
                 ScanOptions options)
    : catalog_(catalog), engine_(engine), store_(store), options_(std::move(options)) {
  assert(!options_.variants.empty());
}

std::optional<Scanner::Entry> Scanner::StatEntry(const std::string& root, std::string rel) {
  std::error_code ec;
  const fs::path full = fs::path(root) / rel;
  std::string path = full.string();
  if (fs::is_symlink(fs::symlink_status(full, ec))) {
    // Take a symlinked file only when it resolves inside the root, and read the target.
    const fs::path target = fs::canonical(full, ec);
    if (ec || !IsInside(target, root)) return std::nullopt;
    path = target.string();
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return Entry{std::move(rel), std::move(path), static_cast<int64_t>(st.st_size),
               static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

Result<ScanReport> Scanner::Scan(const Library& library) {
  const auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  const fs::path canonical_root = fs::canonical(library.root, ec);
  if (ec) return Status::FromErrno(ec.value(), fmt::format("scan: {}", library.root));
  const std::string root = canonical_root.string();

  // Phase one: stat everything; unchanged files are marked seen, the rest queued. Batches keep
  // each write transaction short, so the server's readers are never held up for long.
  TESSERA_ASSIGN_OR_RETURN(std::vector<std::string> rel_paths, ListRelPaths(root));
  const int64_t generation = NextGeneration();
  Counters total;
  constexpr size_t kBatch = 256;
  for (size_t i = 0; i < rel_paths.size(); i += kBatch) {
    TESSERA_RETURN_IF_ERROR(catalog_.InTransaction([&]() -> Status {
      for (size_t j = i; j < std::min(rel_paths.size(), i + kBatch); ++j) {
        std::optional<Entry> entry = StatEntry(root, std::move(rel_paths[j]));
        if (!entry) continue;
        ++total.files_seen;
        TESSERA_ASSIGN_OR_RETURN(bool needs_work, Triage(library, *entry, generation, total));
        if (needs_work) {
          TESSERA_RETURN_IF_ERROR(catalog_.EnqueueJob(library.id, entry->rel_path, generation));
          ++total.queued;
        }
      }
      return Status::Ok();
    }));
  }

  // Phase two. An interrupted scan has not seen everything: removing rows then would lose files.
  TESSERA_RETURN_IF_ERROR(Drain(LibraryRoot{library, root}, total.queued, total));

  TESSERA_ASSIGN_OR_RETURN(total.removed, catalog_.RemoveFilesNotSeen(library.id, generation));
  TESSERA_ASSIGN_OR_RETURN(std::vector<FileFailure> failures, catalog_.Failures(library.id));
  for (const FileFailure& f : failures) {
    if (!fs::exists(fs::symlink_status(canonical_root / f.rel_path, ec))) {
      TESSERA_RETURN_IF_ERROR(catalog_.ClearFailure(library.id, f.rel_path));
    }
  }
  total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<ScanReport>(total);
}

Result<bool> Scanner::Triage(const Library& library, const Entry& entry, int64_t generation,
                             Counters& counters) {
  TESSERA_ASSIGN_OR_RETURN(std::optional<PhotoFile> existing,
                           catalog_.FindFile(library.id, entry.rel_path));
  if (existing && existing->size == entry.size && existing->mtime_ns == entry.mtime_ns) {
    // Unchanged: a stat was enough. Only a settings change makes it read the file.
    ++counters.unchanged;
    TESSERA_RETURN_IF_ERROR(catalog_.MarkSeen(library.id, entry.rel_path, generation));
    TESSERA_ASSIGN_OR_RETURN(std::vector<VariantSpec> stale, StaleSpecs(existing->photo_id));
    return !stale.empty();
  }
  if (existing) {
    // Changed: keep its row alive while its job waits (a crash must not lose it).
    TESSERA_RETURN_IF_ERROR(catalog_.MarkSeen(library.id, entry.rel_path, generation));
    return true;
  }
  TESSERA_ASSIGN_OR_RETURN(std::optional<FileFailure> failure,
                           catalog_.FindFailure(library.id, entry.rel_path));
  if (failure && failure->size == entry.size && failure->mtime_ns == entry.mtime_ns &&
      !options_.retry_failures) {
    ++counters.known_failures;
    return false;
  }
  return true;
}

Result<ScanReport> Scanner::Work() {
  const auto start = std::chrono::steady_clock::now();
  Counters total;
  TESSERA_RETURN_IF_ERROR(Drain(std::nullopt, 0, total));
  total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<ScanReport>(total);
}

Status Scanner::Drain(const std::optional<LibraryRoot>& only, int64_t queued, Counters& total) {
  const std::string worker = options_.worker_id.empty() ? HostName() : options_.worker_id;
  std::atomic<bool> stop{false};
  std::mutex mu;  // guards total, first_error, done, roots and progress calls
  Status first_error;
  int64_t done = 0;
  // Libraries by id, for jobs of any library (Work): read from the catalog when one is new.
  std::map<int64_t, LibraryRoot> roots;
  if (only) roots.emplace(only->library.id, *only);
  auto root_of = [&](int64_t library_id) -> Result<std::optional<LibraryRoot>> {
    std::lock_guard<std::mutex> lock(mu);
    if (roots.count(library_id) == 0 && !only) {
      TESSERA_ASSIGN_OR_RETURN(std::vector<Library> all, catalog_.Libraries(std::nullopt));
      for (const Library& library : all) {
        std::error_code ec;
        const fs::path root = fs::canonical(library.root, ec);
        if (!ec) roots.insert_or_assign(library.id, LibraryRoot{library, root.string()});
      }
    }
    auto it = roots.find(library_id);
    if (it == roots.end()) return std::optional<LibraryRoot>();
    return std::optional<LibraryRoot>(it->second);
  };

  auto work = [&] {
    Counters mine;
    while (!stop) {
      if (options_.cancel != nullptr && options_.cancel->load()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) {
          first_error = Status::Aborted(only ? fmt::format("scan of {} stopped", only->root)
                                             : std::string("work stopped"));
        }
        stop = true;
        break;
      }
      Result<std::optional<Job>> job =
          catalog_.ClaimJob(only ? std::optional<int64_t>(only->library.id) : std::nullopt, worker,
                            UnixNow(), options_.lease_seconds);
      Status s = job.status();
      if (s.ok() && !job->has_value()) break;
      std::string rel;
      const int64_t failed_before = mine.failed;
      if (s.ok()) {
        rel = (*job)->rel_path;
        // Marked seen by the scan that queued it (generations only go up in the catalog).
        const int64_t generation = (*job)->generation > 0 ? (*job)->generation : NextGeneration();
        Result<std::optional<LibraryRoot>> lib = root_of((*job)->library_id);
        s = lib.status();
        // A library removed, or a file gone since it was queued, is left to the not-seen sweep.
        std::optional<Entry> entry;
        if (s.ok() && lib->has_value()) entry = StatEntry((*lib)->root, rel);
        if (entry) s = ProcessFile((*lib)->library, *entry, generation, mine);
        if (s.ok()) s = catalog_.FinishJob((*job)->id);
      }
      std::lock_guard<std::mutex> lock(mu);
      if (!s.ok()) {
        if (first_error.ok()) first_error = s;
        stop = true;
        break;
      }
      ++done;
      if (options_.on_progress) {
        options_.on_progress(
            ScanProgress{done, std::max(done, queued), rel, mine.failed != failed_before,
                         mine.failed != failed_before ? mine.last_error : std::string()});
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    total.Add(mine);
  };
  const int workers = std::max(1, options_.workers);
  if (workers == 1) {
    work();
  } else {
    std::vector<std::thread> threads;
    for (int i = 0; i < workers; ++i) threads.emplace_back(work);
    for (std::thread& t : threads) t.join();
  }
  return first_error;
}

Status Scanner::ProcessFile(const Library& library, const Entry& entry, int64_t generation,
                            Counters& counters) {
  TESSERA_ASSIGN_OR_RETURN(std::optional<PhotoFile> existing,
                           catalog_.FindFile(library.id, entry.rel_path));
  if (existing && existing->size == entry.size && existing->mtime_ns == entry.mtime_ns) {
    TESSERA_RETURN_IF_ERROR(catalog_.MarkSeen(library.id, entry.rel_path, generation));
    return RefreshVariants(library, entry, *existing, generation, counters);
  }
  // A queued file is always attempted: the walk that queued it decided (a known failure is
  // queued only on a retry request, or survives from a killed run as one more attempt).
  return Import(library, entry, existing ? &*existing : nullptr, generation, counters);
}

Status Scanner::Import(const Library& library, const Entry& entry, const PhotoFile* existing,
                       int64_t generation, Counters& counters) {
  ++counters.files_read;
  Result<std::string> quick = QuickHash(entry.path);
  if (!quick.ok())
    return HandleFailure(library, entry, quick.status(), existing, generation, counters);
  if (existing != nullptr && *quick == existing->quick_hash) {
    // Touched (or copied over with itself) but the same bytes: keep the photo.
    PhotoFile file = *existing;
    file.size = entry.size;
    file.mtime_ns = entry.mtime_ns;
    file.seen_generation = generation;
    TESSERA_RETURN_IF_ERROR(catalog_.UpsertFile(file));
    return RefreshVariants(library, entry, file, generation, counters);
  }
  Result<std::string> hash = ContentHash(entry.path);
  if (!hash.ok())
    return HandleFailure(library, entry, hash.status(), existing, generation, counters);

  // A move or a copy of a photo the owner already has reuses it and its variants.
  TESSERA_ASSIGN_OR_RETURN(std::optional<Photo> photo,
                           catalog_.FindPhotoForViewer(*hash, library.owner_id));
  const bool owned = photo && photo->owner_id == library.owner_id;
  int64_t photo_id = owned ? photo->id : 0;
  std::vector<VariantSpec> stale = options_.variants;
  if (owned) {
    TESSERA_ASSIGN_OR_RETURN(stale, StaleSpecs(photo_id));
  }
  GeneratedVariants generated;
  if (!stale.empty()) {
    Result<GeneratedVariants> made = GenerateVariants(engine_, entry.path, *hash, stale, store_,
                                                      &options_.faces, BigSpec(options_.variants));
    if (!made.ok()) {
      return HandleFailure(library, entry, made.status(), existing, generation, counters);
    }
    generated = std::move(made).value();
  }
  TESSERA_RETURN_IF_ERROR(catalog_.InTransaction([&]() -> Status {
    if (!stale.empty()) {
      TESSERA_ASSIGN_OR_RETURN(
          photo_id, catalog_.UpsertPhoto(library.owner_id, *hash,
                                         MetaFor(entry, generated, owned ? &*photo : nullptr)));
    }
    TESSERA_RETURN_IF_ERROR(catalog_.UpsertFile(PhotoFile{
        library.id, entry.rel_path, entry.size, entry.mtime_ns, *quick, photo_id, generation}));
    TESSERA_RETURN_IF_ERROR(RecordGenerated(photo_id, generated));
    return catalog_.ClearFailure(library.id, entry.rel_path);
  }));
  if (!owned) ++counters.new_photos;
  counters.variants_generated += static_cast<int64_t>(generated.variants.size());
  return Status::Ok();
}

Status Scanner::RefreshVariants(const Library& library, const Entry& entry, const PhotoFile& file,
                                int64_t generation, Counters& counters) {
  TESSERA_ASSIGN_OR_RETURN(std::vector<VariantSpec> stale, StaleSpecs(file.photo_id));
  if (stale.empty()) return Status::Ok();
  ++counters.files_read;
  Result<std::string> hash = ContentHash(entry.path);
  if (!hash.ok()) return HandleFailure(library, entry, hash.status(), &file, generation, counters);
  TESSERA_ASSIGN_OR_RETURN(std::optional<Photo> photo,
                           catalog_.FindPhotoForViewer(*hash, library.owner_id));
  if (!photo || photo->id != file.photo_id) {
    // Rewritten with its size and mtime kept: import it as a changed file.
    return Import(library, entry, nullptr, generation, counters);
  }
  Result<GeneratedVariants> made = GenerateVariants(engine_, entry.path, *hash, stale, store_,
                                                    &options_.faces, BigSpec(options_.variants));
  if (!made.ok()) return HandleFailure(library, entry, made.status(), &file, generation, counters);
  TESSERA_RETURN_IF_ERROR(catalog_.InTransaction([&]() -> Status {
    TESSERA_RETURN_IF_ERROR(
        catalog_.UpsertPhoto(library.owner_id, *hash, MetaFor(entry, *made, &*photo)).status());
    return RecordGenerated(file.photo_id, *made);
  }));
  counters.variants_generated += static_cast<int64_t>(made->variants.size());
  return Status::Ok();
}

PhotoMeta Scanner::MetaFor(const Entry& entry, const GeneratedVariants& generated,
                           const Photo* existing) {
  PhotoMeta meta = PhotoMetaFromProbe(generated.probe, entry.size);
  meta.placeholder = generated.placeholder;
  // Only the big thumbnail makes a placeholder; a refresh of the squares keeps the old one.
  if (meta.placeholder.empty() && existing != nullptr)
    meta.placeholder = existing->meta.placeholder;
  std::optional<int64_t> taken = media::TakenAt(entry.path, generated.probe.mime_type);
  meta.taken_at = taken ? *taken : entry.mtime_ns / 1'000'000'000;
  return meta;
}

Status Scanner::RecordGenerated(int64_t photo_id, const GeneratedVariants& generated) {
  if (generated.faces_detected) {
    std::vector<Face> faces = generated.faces;
    for (Face& face : faces) face.photo_id = photo_id;
    TESSERA_RETURN_IF_ERROR(catalog_.ReplaceFaces(photo_id, faces));
    TESSERA_RETURN_IF_ERROR(catalog_.RecordVariant(Variant{
        photo_id, kFacesKind, generated.faces_recipe, 0, 0, static_cast<int64_t>(faces.size())}));
  }
  for (const GeneratedVariant& v : generated.variants) {
    TESSERA_RETURN_IF_ERROR(
        catalog_.RecordVariant(Variant{photo_id, v.kind, v.recipe, v.width, v.height, v.bytes}));
  }
  return Status::Ok();
}

Status Scanner::HandleFailure(const Library& library, const Entry& entry, const Status& error,
                              const PhotoFile* existing, int64_t generation, Counters& counters) {
  ++counters.failed;
  counters.last_error = error.ToString();
  if (IsTransient(error)) {
    // Unreadable for now (or vanished): keep the row of a catalogued file, record nothing.
    if (existing != nullptr && error.code() != StatusCode::kNotFound) {
      return catalog_.MarkSeen(library.id, entry.rel_path, generation);
    }
    return Status::Ok();
  }
  // The file itself is bad (or of a type we do not read). A catalogued file that became bad
  // loses its row at the end of the scan; its photo is kept.
  return catalog_
      .RecordFailure(
          FileFailure{library.id, entry.rel_path, entry.size, entry.mtime_ns, error.ToString(), 0})
      .status();
}

Result<std::vector<VariantSpec>> Scanner::StaleSpecs(int64_t photo_id) {
  const VariantSpec* big = BigSpec(options_.variants);
  if (options_.faces.detect && big != nullptr) {
    // Faces shape the squares and live in the big thumbnail's pixels: new faces, new everything.
    TESSERA_ASSIGN_OR_RETURN(std::optional<Variant> faces,
                             catalog_.FindVariant(photo_id, kFacesKind));
    if (!faces || faces->recipe != FacesRecipe(*big, options_.faces)) return options_.variants;
  }
  std::vector<VariantSpec> stale;
  for (const VariantSpec& spec : options_.variants) {
    TESSERA_ASSIGN_OR_RETURN(std::optional<Variant> v, catalog_.FindVariant(photo_id, spec.kind));
    if (!v || !RecipeIsCurrent(spec, v->recipe)) stale.push_back(spec);
  }
  return stale;
}

}  // namespace tessera::library
