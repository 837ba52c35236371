// One original through the desktop cache: stat, skip what is valid or known to fail, decode
// once for every missing size, store each, record permanent failures only.
#include "src/xdg/desktop_process.h"

#include <fmt/format.h>
#include <unistd.h>

#include "src/xdg/internal.h"

namespace tessera {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kGenerated:
      return "generated";
    case Outcome::kUpToDate:
      return "up to date";
    case Outcome::kFailedBefore:
      return "failed before";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kSkipped:
      return "skipped";
  }
  return "unknown";
}

namespace internal {
namespace {

// Errors name the file once: "<path>: <reason>".
Status NameFile(const Status& status, const std::string& path) {
  if (status.ok() || status.message().find(path) != std::string::npos) return status;
  return status.WithContext(path);
}

xdg::ThumbMeta MetaFromProbe(const ProbeInfo& probe) {
  xdg::ThumbMeta meta;
  meta.mime_type = probe.mime_type;
  const bool document = probe.format == "pdf";
  const bool movie = probe.format == "video";
  // A PDF's declared size is in points, not pixels; Thumb::Image::* describes images only.
  if (!document && !movie) {
    meta.image_width = probe.OrientedWidth();
    meta.image_height = probe.OrientedHeight();
  }
  if (document && probe.pages > 0) meta.pages = probe.pages;
  if (movie) meta.movie_length = probe.duration_seconds;
  return meta;
}

// True when the original is no longer the file we stat'ed before decoding it (a copy still in
// progress, an editor saving): its thumbnail or failure would be keyed to the wrong mtime.
bool ChangedSince(const xdg::Original& before) {
  Result<xdg::Original> now = xdg::StatOriginal(before.path);
  return !now.ok() || now->mtime != before.mtime || now->mtime_nsec != before.mtime_nsec ||
         now->size != before.size;
}

}  // namespace

FileResult ProcessOriginal(const std::string& path, const xdg::Cache& cache,
                           const DesktopOptions& options, const ThumbnailFn& thumbnail) {
  FileResult result;
  result.path = path;
  auto finish = [&](Outcome outcome, Status status) {
    result.outcome = outcome;
    result.status = NameFile(status, path);
    return result;
  };

  // Nothing is read from or written to the cache for a file we cannot stat or read.
  Result<xdg::Original> stat = xdg::StatOriginal(path);
  if (!stat.ok()) {
    // A folder or a device is not a failure, just not ours to thumbnail.
    Outcome outcome =
        stat.status().code() == StatusCode::kUnsupported ? Outcome::kSkipped : Outcome::kFailed;
    return finish(outcome, stat.status());
  }
  const xdg::Original& original = *stat;
  if (cache.IsInsideCache(original.path)) {
    return finish(Outcome::kSkipped, Status::Unsupported("inside a thumbnail cache"));
  }

  const bool personal = !options.draft_only;
  const bool draft = options.draft_export || options.draft_only;
  std::vector<xdg::ThumbSize> missing_sizes;
  std::vector<int> missing_drafts;
  bool failed_before = false;
  if (personal) {
    for (xdg::ThumbSize size : options.sizes) {
      xdg::Lookup lookup = options.force ? xdg::Lookup{} : cache.Find(original, size);
      if (lookup.state == xdg::LookupState::kValid) continue;
      if (lookup.state == xdg::LookupState::kFailed) failed_before = true;
      missing_sizes.push_back(size);
    }
  }
  if (draft) {
    if (!options.force &&
        xdg::internal::DraftFileMatches(xdg::DraftFailurePath(original.path), original)) {
      failed_before = true;
    }
    for (int edge : options.draft_edges) {
      std::string file = xdg::DraftThumbnailPath(original.path, edge, options.draft_quality);
      if (options.force || !xdg::internal::DraftFileMatches(file, original)) {
        missing_drafts.push_back(edge);
      }
    }
  }
  if (missing_sizes.empty() && missing_drafts.empty()) return finish(Outcome::kUpToDate, {});
  if (failed_before) {
    return finish(Outcome::kFailedBefore,
                  Status::Unsupported("failed before; not retried until the file changes"));
  }

  // One decode for every size. Images smaller than a box are stored as they are, not upscaled:
  // the spec lets us skip originals under 128 px, but GLib would then ask again every time.
  std::vector<Target> targets;
  for (xdg::ThumbSize size : missing_sizes)
    targets.push_back(Target::Square(xdg::SizePixels(size)));
  for (int edge : missing_drafts) targets.push_back(Target::Square(edge));
  const Quality quality = options.draft_only && options.draft_quality == xdg::DraftQuality::kLow
                              ? Quality::kFast
                              : Quality::kQuality;
  Result<ThumbnailSet> set = thumbnail(targets, quality);
  if (ChangedSince(original)) {
    // Neither a thumbnail nor a failure record: both would describe a file that is gone.
    return finish(Outcome::kFailed,
                  Status::IOError("changed while it was being read; try again when it is still"));
  }
  if (!set.ok()) {
    Status status = NameFile(set.status(), path);
    // Only a property of the file is remembered; a full disk or a missing library is not.
    if (status.IsPermanentFileFailure()) {
      if (personal) (void)cache.RecordFailure(original, status.message());
      if (draft) (void)xdg::RecordDraftFailure(original);
    }
    return finish(Outcome::kFailed, status);
  }
  if (set->images.size() != targets.size()) {
    return finish(Outcome::kFailed, Status::Internal("engine returned the wrong number of images"));
  }
  result.mime_type = set->probe.mime_type;
  const xdg::ThumbMeta meta = MetaFromProbe(set->probe);
  size_t next = 0;
  for (xdg::ThumbSize size : missing_sizes) {
    // A Store error is the environment's (disk full, folder not writable): no failure record.
    Status stored = cache.Store(original, size, set->images[next++], meta);
    if (!stored.ok()) {
      result.store_failed = true;
      return finish(Outcome::kFailed, stored);
    }
    result.written.push_back(size);
  }
  for (int edge : missing_drafts) {
    Status stored = xdg::StoreDraft(original, edge, options.draft_quality, set->images[next++],
                                    set->probe.OrientedWidth(), set->probe.OrientedHeight());
    if (!stored.ok()) {
      result.store_failed = true;
      return finish(Outcome::kFailed, stored);
    }
  }
  if (options.force && personal) unlink(cache.FailurePath(original.uri).c_str());
  return finish(Outcome::kGenerated, {});
}

}  // namespace internal
}  // namespace tessera
