#include "src/library/scanner.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "src/library/content_hash.h"

namespace tessera::library {

namespace fs = std::filesystem;

struct Scanner::Entry {
  std::string rel_path;  // relative to the canonical root
  std::string path;      // what is read: the file itself, or a symlink's target inside the root
  int64_t size = 0;
  int64_t mtime_ns = 0;
};

struct Scanner::Counters : ScanReport {
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

}  // namespace

Scanner::Scanner(Catalog& catalog, const Engine& engine, const MediaStore& store,
                 ScanOptions options)
    : catalog_(catalog), engine_(engine), store_(store), options_(std::move(options)) {
  assert(!options_.variants.empty());
}

Result<ScanReport> Scanner::Scan(const Library& library) {
  const auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  const fs::path canonical_root = fs::canonical(library.root, ec);
  if (ec) return Status::FromErrno(ec.value(), fmt::format("scan: {}", library.root));
  const std::string root = canonical_root.string();

  TESSERA_ASSIGN_OR_RETURN(std::vector<std::string> rel_paths, ListRelPaths(root));
  std::vector<Entry> entries;
  for (std::string& rel : rel_paths) {
    const fs::path full = canonical_root / rel;
    std::string path = full.string();
    if (fs::is_symlink(fs::symlink_status(full, ec))) {
      // Take a symlinked file only when it resolves inside the root, and read the target.
      const fs::path target = fs::canonical(full, ec);
      if (ec || !IsInside(target, root)) continue;
      path = target.string();
    }
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    entries.push_back(
        Entry{std::move(rel), std::move(path), static_cast<int64_t>(st.st_size),
              static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec});
  }

  const int64_t generation = NextGeneration();
  Counters total;
  total.files_seen = static_cast<int64_t>(entries.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;  // guards total (but files_seen), first_error, done and progress calls
  Status first_error;
  int64_t done = 0;

  auto work = [&] {
    Counters mine;
    for (size_t i = next++; i < entries.size() && !stop; i = next++) {
      Status s = ProcessFile(library, entries[i], generation, mine);
      std::lock_guard<std::mutex> lock(mu);
      if (!s.ok()) {
        if (first_error.ok()) first_error = s;
        stop = true;
      }
      ++done;
      if (options_.on_progress) {
        options_.on_progress(
            ScanProgress{done, static_cast<int64_t>(entries.size()), entries[i].rel_path});
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
  total.files_seen = static_cast<int64_t>(entries.size());
  // An interrupted scan has not seen everything: removing rows now would lose files.
  if (!first_error.ok()) return first_error;

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

Status Scanner::ProcessFile(const Library& library, const Entry& entry, int64_t generation,
                            Counters& counters) {
  TESSERA_ASSIGN_OR_RETURN(std::optional<PhotoFile> existing,
                           catalog_.FindFile(library.id, entry.rel_path));
  if (existing && existing->size == entry.size && existing->mtime_ns == entry.mtime_ns) {
    // Unchanged: a stat was enough. Only a settings change makes it read the file.
    ++counters.unchanged;
    TESSERA_RETURN_IF_ERROR(catalog_.MarkSeen(library.id, entry.rel_path, generation));
    return RefreshVariants(library, entry, *existing, generation, counters);
  }
  if (!existing) {
    TESSERA_ASSIGN_OR_RETURN(std::optional<FileFailure> failure,
                             catalog_.FindFailure(library.id, entry.rel_path));
    if (failure && failure->size == entry.size && failure->mtime_ns == entry.mtime_ns) {
      ++counters.known_failures;
      return Status::Ok();
    }
  }
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
    Result<GeneratedVariants> made = GenerateVariants(engine_, entry.path, *hash, stale, store_);
    if (!made.ok()) {
      return HandleFailure(library, entry, made.status(), existing, generation, counters);
    }
    generated = std::move(made).value();
  }
  TESSERA_RETURN_IF_ERROR(catalog_.InTransaction([&]() -> Status {
    if (!stale.empty()) {
      TESSERA_ASSIGN_OR_RETURN(
          photo_id, catalog_.UpsertPhoto(library.owner_id, *hash,
                                         PhotoMetaFromProbe(generated.probe, entry.size)));
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
  Result<GeneratedVariants> made = GenerateVariants(engine_, entry.path, *hash, stale, store_);
  if (!made.ok()) return HandleFailure(library, entry, made.status(), &file, generation, counters);
  TESSERA_RETURN_IF_ERROR(catalog_.InTransaction([&]() -> Status {
    TESSERA_RETURN_IF_ERROR(
        catalog_.UpsertPhoto(library.owner_id, *hash, PhotoMetaFromProbe(made->probe, entry.size))
            .status());
    return RecordGenerated(file.photo_id, *made);
  }));
  counters.variants_generated += static_cast<int64_t>(made->variants.size());
  return Status::Ok();
}

Status Scanner::RecordGenerated(int64_t photo_id, const GeneratedVariants& generated) {
  for (const GeneratedVariant& v : generated.variants) {
    TESSERA_RETURN_IF_ERROR(
        catalog_.RecordVariant(Variant{photo_id, v.kind, v.recipe, v.width, v.height, v.bytes}));
  }
  return Status::Ok();
}

Status Scanner::HandleFailure(const Library& library, const Entry& entry, const Status& error,
                              const PhotoFile* existing, int64_t generation, Counters& counters) {
  ++counters.failed;
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
  std::vector<VariantSpec> stale;
  for (const VariantSpec& spec : options_.variants) {
    TESSERA_ASSIGN_OR_RETURN(std::optional<Variant> v, catalog_.FindVariant(photo_id, spec.kind));
    if (!v || v->recipe != Recipe(spec)) stale.push_back(spec);
  }
  return stale;
}

}  // namespace tessera::library
