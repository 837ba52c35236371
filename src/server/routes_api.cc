// The JSON API beside sign-in: the photo list, job progress, sharing, and avatar uploads. Every
// route here needs a signed-in user; a photo someone may not change is "not found" to them.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

#include "src/library/content_hash.h"
#include "src/server/responses.h"
#include "src/server/routes.h"

namespace tessera::server {
namespace {

// The value of query parameter `name` in a request target, or "" (no percent-decoding: the
// parameters read here are numbers).
std::string_view QueryParam(std::string_view target, std::string_view name) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    size_t end = query.find('&');
    std::string_view pair = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return {};
}

// A non-negative integer parameter: `fallback` when absent, nullopt when malformed.
std::optional<int64_t> IntParam(std::string_view target, std::string_view name, int64_t fallback) {
  std::string_view text = QueryParam(target, name);
  if (text.empty()) return fallback;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::string IsoUtc(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

nlohmann::json PhotoJson(const library::Photo& photo, int64_t viewer) {
  const std::string& h = photo.hash;
  nlohmann::json json = {
      {"hash", h},
      {"mime_type", photo.meta.mime_type},
      {"width", photo.meta.width},
      {"height", photo.meta.height},
      {"size", photo.meta.size},
      {"taken_at",
       photo.meta.taken_at > 0 ? nlohmann::json(IsoUtc(photo.meta.taken_at)) : nlohmann::json()},
      {"placeholder",
       photo.meta.placeholder.empty() ? nlohmann::json() : nlohmann::json(photo.meta.placeholder)},
      {"placeholder_type", "thumbhash"},
      {"owned", photo.owner_id == viewer},
      {"public", photo.is_public},
      {"thumbnails_big", "/media/thumbnails_big/" + h},
      {"square_thumbnails", "/media/square_thumbnails/" + h},
      {"small_square_thumbnails", "/media/small_square_thumbnails/" + h},
      {"original", "/media/photos/" + h},
  };
  if (photo.meta.duration_seconds > 0) json["duration"] = photo.meta.duration_seconds;
  return json;
}

// The string member `key` of a JSON object, or nullopt.
std::optional<std::string> StringMember(const nlohmann::json& body, const char* key) {
  if (!body.is_object()) return std::nullopt;
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

int StatusForImageError(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnsupported:
      return 415;
    case StatusCode::kTooLarge:
      return 413;
    case StatusCode::kCorrupt:
    case StatusCode::kInvalidArgument:
      return 400;
    default:
      return 500;
  }
}

}  // namespace

Response Router::HandleApi(const Request& request, std::string_view path) {
  Auth auth = Authenticate(request);
  if (!auth.viewer) return Unauthorized(/*invalid_token=*/auth.bad_token);
  const int64_t user = *auth.viewer;
  if (path == "/api/photos") {
    return request.method == "GET" ? HandlePhotos(request, user) : MethodNotAllowed("GET");
  }
  if (path == "/api/jobs") {
    return request.method == "GET" ? HandleJobs(user) : MethodNotAllowed("GET");
  }
  if (path == "/api/jobs/retry") {
    return request.method == "POST" ? HandleRetry(user) : MethodNotAllowed("POST");
  }
  if (path == "/api/user/avatar") {
    return request.method == "PUT" ? HandleAvatarUpload(request, user) : MethodNotAllowed("PUT");
  }
  constexpr std::string_view kPhotos = "/api/photos/";
  if (path.starts_with(kPhotos)) {
    std::string_view rest = path.substr(kPhotos.size());
    size_t slash = rest.find('/');
    if (slash != std::string_view::npos && library::IsContentHash(rest.substr(0, slash))) {
      std::string_view action = rest.substr(slash + 1);
      if (action == "share" || action == "unshare" || action == "public") {
        if (request.method != "POST") return MethodNotAllowed("POST");
        return HandlePhotoAction(request, user, rest.substr(0, slash), action);
      }
    }
  }
  return ErrorResponse(404);
}

Response Router::HandlePhotos(const Request& request, int64_t user_id) {
  std::optional<int64_t> offset = IntParam(request.target, "offset", 0);
  std::optional<int64_t> limit = IntParam(request.target, "limit", 100);
  if (!offset || !limit || *limit == 0) return ErrorResponse(400);
  const int64_t page = std::min(*limit, options_.max_page_size);
  // One more than the page tells whether another page follows.
  Result<std::vector<library::Photo>> photos = catalog_.ListPhotos(user_id, *offset, page + 1);
  if (!photos.ok()) {
    spdlog::error("api: listing photos failed: {}", photos.status().ToString());
    return ErrorResponse(500);
  }
  const bool more = static_cast<int64_t>(photos->size()) > page;
  if (more) photos->pop_back();
  nlohmann::json results = nlohmann::json::array();
  for (const library::Photo& photo : *photos) results.push_back(PhotoJson(photo, user_id));
  nlohmann::json body = {
      {"offset", *offset},
      {"limit", page},
      {"count", results.size()},
      {"next",
       more ? nlohmann::json(fmt::format("/api/photos?offset={}&limit={}", *offset + page, page))
            : nlohmann::json()},
      {"results", std::move(results)},
  };
  return JsonResponse(200, body);
}

Response Router::HandleJobs(int64_t user_id) {
  nlohmann::json body = options_.report_jobs
                            ? options_.report_jobs(user_id)
                            : nlohmann::json::object({{"scans", nlohmann::json::array()}});
  // The shared queue (all hosts' workers), for this user's libraries.
  Result<std::vector<library::Library>> libraries = catalog_.Libraries(user_id);
  if (!libraries.ok()) return ErrorResponse(500);
  int64_t pending = 0, claimed = 0, failed = 0;
  const int64_t now = std::time(nullptr);
  nlohmann::json failures = nlohmann::json::array();
  for (const library::Library& library : *libraries) {
    Result<library::JobCounts> counts = catalog_.CountJobs(library.id, now);
    if (!counts.ok()) return ErrorResponse(500);
    pending += counts->pending;
    claimed += counts->claimed;
    // The failure ledger: what could not be read, why, and how often it was tried.
    Result<std::vector<library::FileFailure>> ledger = catalog_.Failures(library.id);
    if (!ledger.ok()) return ErrorResponse(500);
    failed += static_cast<int64_t>(ledger->size());
    for (const library::FileFailure& f : *ledger) {
      if (static_cast<int64_t>(failures.size()) >= options_.max_listed_failures) break;
      failures.push_back({{"library", library.root},
                          {"path", f.rel_path},
                          {"reason", f.reason},
                          {"attempts", f.attempts}});
    }
  }
  body["queue"] = {{"pending", pending}, {"in_progress", claimed}};
  body["failures"] = {{"count", failed}, {"files", std::move(failures)}};
  return JsonResponse(200, body);
}

Response Router::HandleRetry(int64_t user_id) {
  if (!options_.request_retry) return ErrorResponse(501);
  Result<std::vector<library::Library>> libraries = catalog_.Libraries(user_id);
  if (!libraries.ok()) return ErrorResponse(500);
  int64_t retrying = 0;
  for (const library::Library& library : *libraries) {
    Result<std::vector<library::FileFailure>> ledger = catalog_.Failures(library.id);
    if (!ledger.ok()) return ErrorResponse(500);
    if (ledger->empty()) continue;
    retrying += static_cast<int64_t>(ledger->size());
    options_.request_retry(library.id);
  }
  return JsonResponse(202, nlohmann::json{{"retrying", retrying}});
}

Response Router::HandlePhotoAction(const Request& request, int64_t user_id, std::string_view hash,
                                   std::string_view action) {
  Result<std::optional<library::Photo>> photo = catalog_.FindPhotoForViewer(hash, user_id);
  if (!photo.ok()) return ErrorResponse(500);
  // Only the owner may change who sees a photo; to anyone else it does not exist.
  if (!photo->has_value() || (*photo)->owner_id != user_id) return ErrorResponse(404);
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  Status status;
  nlohmann::json answer = {{"hash", (*photo)->hash}};
  if (action == "public") {
    auto it = body.is_object() ? body.find("public") : body.end();
    bool make_public = true;  // an empty body means "make it public"
    if (body.is_object() && it != body.end()) {
      if (!it->is_boolean()) return ErrorResponse(400);
      make_public = it->get<bool>();
    } else if (!request.body.empty() && !body.is_object()) {
      return ErrorResponse(400);
    }
    status = catalog_.SetPublic((*photo)->id, make_public);
    answer["public"] = make_public;
  } else {
    std::optional<std::string> name = StringMember(body, "user");
    if (!name) return ErrorResponse(400);
    Result<std::optional<library::User>> other = catalog_.FindUserByName(*name);
    if (!other.ok()) return ErrorResponse(500);
    if (!other->has_value()) return ErrorResponse(400);
    status = action == "share" ? catalog_.Share((*photo)->id, (*other)->id)
                               : catalog_.Unshare((*photo)->id, (*other)->id);
    answer["user"] = *name;
    answer["shared"] = action == "share";
  }
  photo_cache_.Clear();  // who sees the photo changed
  if (!status.ok()) {
    spdlog::error("api: {} of photo {} failed: {}", action, (*photo)->id, status.ToString());
    return ErrorResponse(500);
  }
  return JsonResponse(200, answer);
}

Response Router::HandleAvatarUpload(const Request& request, int64_t user_id) {
  if (!options_.make_avatar) return ErrorResponse(501);
  if (request.body.empty()) return ErrorResponse(400);
  Result<std::string> png = options_.make_avatar(request.body);
  if (!png.ok()) {
    spdlog::info("api: avatar upload of user {} refused: {}", user_id, png.status().ToString());
    int code = StatusForImageError(png.status());
    Response response = ErrorResponse(code);
    if (code != 500) {
      // The reason is about the client's own bytes, so it may be told.
      response.body = nlohmann::json({{"detail", "The image could not be used as an avatar."},
                                      {"reason", png.status().message()}})
                          .dump();
    }
    return response;
  }
  Result<std::string> hash = library::ContentHashOfBytes(*png);
  Status status = hash.status();
  if (status.ok()) status = store_.Put("avatars", *hash, "png", *png);
  if (status.ok()) status = catalog_.SetAvatar(user_id, *hash);
  Result<std::optional<library::User>> user = catalog_.FindUserById(user_id);
  if (status.ok()) status = user.status();
  if (!status.ok() || !user->has_value()) {
    spdlog::error("api: storing the avatar of user {} failed: {}", user_id, status.ToString());
    return ErrorResponse(500);
  }
  return JsonResponse(200, {{"avatar", fmt::format("/media/avatars/{}avatar_{}.png",
                                                   UrlSafeFirstName((*user)->first_name), *hash)}});
}

}  // namespace tessera::server
