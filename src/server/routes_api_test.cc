// The JSON API (photo list, jobs, sharing, logout, avatars) and the face and avatar media
// routes, on the fixture library, without sockets.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "src/core/test_fs.h"
#include "src/library/content_hash.h"
#include "src/server/routes_test_util.h"

namespace tessera::server {
namespace {

using testing::kAlicePassword;
using testing::kSecret;
using testing::MediaLibraryFixture;

class RoutesApiTest : public MediaLibraryFixture {
 protected:
  void SetUp() override {
    MediaLibraryFixture::SetUp();
    RouterOptions options;
    options.clock = [this] { return now_; };
    options.cache_ttl_ms = 0;  // every request reads the catalog (CachingRouterTest covers caching)
    options.dummy_password_cost = library::kTestPasswordCost;
    options.max_page_size = 2;
    // Stands in for the engine: accepts bytes starting with "img:" and makes a "PNG" of them.
    options.make_avatar = [](std::string_view bytes) -> Result<std::string> {
      if (!bytes.starts_with("img:")) return Status::Unsupported("not an image we read");
      return "png of " + std::string(bytes);
    };
    options.report_jobs = [](int64_t user) {
      return nlohmann::json{{"scans", nlohmann::json::array({{{"user", user}}})}};
    };
    options.request_retry = [this](int64_t library_id) { retried_.push_back(library_id); };
    options.max_listed_failures = 2;
    router_ = std::make_unique<Router>(*catalog_, store_, tokens_, std::move(options));
  }

  Response Call(const std::string& method, const std::string& target,
                const std::string& authorization, const std::string& body = "") {
    Request request{method, target, {}, body, "10.0.0.2"};
    if (!authorization.empty()) request.headers.emplace_back("Authorization", authorization);
    return router_->Handle(request);
  }
  std::string Bearer(int64_t user) { return "Bearer " + AccessFor(user); }

  std::vector<int64_t> retried_;  // libraries the router asked to retry

  std::set<std::string> ListedHashes(int64_t user) {
    std::set<std::string> hashes;
    std::string target = "/api/photos?limit=2";
    for (int guard = 0; guard < 10 && !target.empty(); ++guard) {
      Response page = Call("GET", target, Bearer(user));
      EXPECT_EQ(page.status, 200);
      nlohmann::json body = nlohmann::json::parse(page.body);
      for (const auto& photo : body["results"]) hashes.insert(photo["hash"].get<std::string>());
      target = body["next"].is_null() ? "" : body["next"].get<std::string>();
    }
    return hashes;
  }
};

TEST_F(RoutesApiTest, AuthMatrixOnTheApi) {
  TokenService forger(std::string(64, 'f'), [this] { return now_; });
  TokenService past(kSecret, [this] { return now_ - 1000; });
  const std::pair<std::string, std::string> askers[] = {
      {"nobody", ""},
      {"malformed", "Bearer not.a.jwt"},
      {"bad signature", "Bearer " + *forger.Issue(alice_, TokenType::kAccess, 300)},
      {"expired", "Bearer " + *past.Issue(alice_, TokenType::kAccess, 300)},
  };
  const std::pair<std::string, std::string> endpoints[] = {
      {"GET", "/api/photos"},
      {"GET", "/api/jobs"},
      {"POST", "/api/jobs/retry"},
      {"POST", "/api/photos/" + Hash(kPrivate) + "/share"},
      {"POST", "/api/photos/" + Hash(kPrivate) + "/public"},
      {"PUT", "/api/user/avatar"},
      {"POST", "/api/auth/logout/"},
  };
  for (const auto& [who, authorization] : askers) {
    for (const auto& [method, target] : endpoints) {
      SCOPED_TRACE(who + " " + method + " " + target);
      Response response = Call(method, target, authorization, R"({"user":"bob"})");
      EXPECT_EQ(response.status, 401);
      EXPECT_FALSE(response.Header("WWW-Authenticate").empty());
    }
  }
  EXPECT_TRUE(retried_.empty());
  // Signed in: owners may act; the sharee and a stranger see "not found".
  EXPECT_EQ(Call("GET", "/api/photos", Bearer(carol_)).status, 200);
  EXPECT_EQ(Call("GET", "/api/jobs", Bearer(carol_)).status, 200);
  for (int64_t user : {bob_, carol_}) {
    EXPECT_EQ(Call("POST", "/api/photos/" + Hash(kShared) + "/public", Bearer(user)).status, 404);
    EXPECT_EQ(
        Call("POST", "/api/photos/" + Hash(kShared) + "/share", Bearer(user), R"({"user":"carol"})")
            .status,
        404);
  }
  EXPECT_EQ(Call("POST", "/api/photos/" + Hash(kMissing) + "/public", Bearer(alice_)).status, 404);
  EXPECT_EQ(Call("POST", "/api/photos/not-a-hash/public", Bearer(alice_)).status, 404);
}

TEST_F(RoutesApiTest, PhotoListIsPagedAndShowsOnlyWhatTheUserMaySee) {
  EXPECT_EQ(ListedHashes(alice_),
            (std::set<std::string>{Hash(kPrivate), Hash(kShared), Hash(kPublic)}));
  EXPECT_EQ(ListedHashes(bob_), (std::set<std::string>{Hash(kShared), Hash(kPublic), Hash(kBobs)}));
  EXPECT_EQ(ListedHashes(carol_), (std::set<std::string>{Hash(kPublic)}));

  Response page = Call("GET", "/api/photos?limit=1&offset=0", Bearer(alice_));
  nlohmann::json body = nlohmann::json::parse(page.body);
  ASSERT_EQ(body["results"].size(), 1u);
  const auto& photo = body["results"][0];
  EXPECT_EQ(photo["width"], 4000);
  EXPECT_EQ(photo["placeholder"], "ph");
  EXPECT_EQ(photo["owned"], true);
  EXPECT_EQ(photo["square_thumbnails"],
            "/media/square_thumbnails/" + photo["hash"].get<std::string>());
  EXPECT_EQ(body["next"], "/api/photos?offset=1&limit=1");
  EXPECT_EQ(Call("GET", "/api/photos?limit=x", Bearer(alice_)).status, 400);
  EXPECT_EQ(Call("GET", "/api/photos?offset=-1", Bearer(alice_)).status, 400);
  EXPECT_EQ(Call("GET", "/api/photos?limit=0", Bearer(alice_)).status, 400);
}

TEST_F(RoutesApiTest, SharingAndPublishingChangeWhoSeesAPhoto) {
  const std::string path = "/media/square_thumbnails/" + Hash(kPrivate);
  EXPECT_EQ(Call("GET", path, Bearer(carol_)).status, 404);
  Response shared = Call("POST", "/api/photos/" + Hash(kPrivate) + "/share", Bearer(alice_),
                         R"({"user":"carol"})");
  ASSERT_EQ(shared.status, 200) << shared.body;
  EXPECT_EQ(Call("GET", path, Bearer(carol_)).status, 200);
  EXPECT_EQ(Call("GET", path, "").status, 401);
  ASSERT_EQ(Call("POST", "/api/photos/" + Hash(kPrivate) + "/unshare", Bearer(alice_),
                 R"({"user":"carol"})")
                .status,
            200);
  EXPECT_EQ(Call("GET", path, Bearer(carol_)).status, 404);

  ASSERT_EQ(Call("POST", "/api/photos/" + Hash(kPrivate) + "/public", Bearer(alice_),
                 R"({"public":true})")
                .status,
            200);
  EXPECT_EQ(Call("GET", path, "").status, 200);
  ASSERT_EQ(Call("POST", "/api/photos/" + Hash(kPrivate) + "/public", Bearer(alice_),
                 R"({"public":false})")
                .status,
            200);
  EXPECT_EQ(Call("GET", path, "").status, 401);
  // Bad bodies and unknown users.
  EXPECT_EQ(Call("POST", "/api/photos/" + Hash(kPrivate) + "/public", Bearer(alice_),
                 R"({"public":"yes"})")
                .status,
            400);
  EXPECT_EQ(Call("POST", "/api/photos/" + Hash(kPrivate) + "/share", Bearer(alice_),
                 R"({"user":"nobody-by-that-name"})")
                .status,
            400);
  EXPECT_EQ(Call("GET", "/api/photos/" + Hash(kPrivate) + "/share", Bearer(alice_)).status, 405);
}

TEST_F(RoutesApiTest, LogoutRevokesTheAccessAndRefreshTokens) {
  Response obtained = router_->Handle(
      Request{"POST",
              "/api/auth/token/obtain/",
              {},
              nlohmann::json{{"username", "alice"}, {"password", kAlicePassword}}.dump(),
              "1.2.3.4"});
  ASSERT_EQ(obtained.status, 200);
  nlohmann::json pair = nlohmann::json::parse(obtained.body);
  const std::string access = pair["access"], refresh = pair["refresh"];
  const std::string other_access = AccessFor(alice_);  // another session of the same user
  const std::string path = "/media/square_thumbnails/" + Hash(kPrivate);
  ASSERT_EQ(Call("GET", path, "Bearer " + access).status, 200);

  // Someone else's refresh token is refused and revokes nothing.
  std::string bobs_refresh = *tokens_.Issue(bob_, TokenType::kRefresh, 300);
  EXPECT_EQ(Call("POST", "/api/auth/logout/", "Bearer " + access,
                 nlohmann::json{{"refresh", bobs_refresh}}.dump())
                .status,
            400);
  EXPECT_EQ(Call("GET", path, "Bearer " + access).status, 200);

  Response out = Call("POST", "/api/auth/logout/", "Bearer " + access,
                      nlohmann::json{{"refresh", refresh}}.dump());
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(Call("GET", path, "Bearer " + access).status, 401);
  Response refreshed = router_->Handle(Request{
      "POST", "/api/auth/token/refresh/", {}, nlohmann::json{{"refresh", refresh}}.dump(), ""});
  EXPECT_EQ(refreshed.status, 401);
  EXPECT_EQ(Call("GET", path, "Bearer " + other_access).status, 200);
}

TEST_F(RoutesApiTest, AvatarsAreUploadedAndServedToSignedInUsersOnly) {
  Response refused = Call("PUT", "/api/user/avatar", Bearer(alice_), "GIF89a not really");
  EXPECT_EQ(refused.status, 415);
  EXPECT_NE(refused.body.find("not an image we read"), std::string::npos);
  EXPECT_EQ(Call("PUT", "/api/user/avatar", Bearer(alice_), "").status, 400);
  EXPECT_EQ(Call("GET", "/api/user/avatar", Bearer(alice_)).status, 405);

  Response uploaded = Call("PUT", "/api/user/avatar", Bearer(alice_), "img:alice");
  ASSERT_EQ(uploaded.status, 200) << uploaded.body;
  const std::string url = nlohmann::json::parse(uploaded.body)["avatar"];
  const std::string hash = *library::ContentHashOfBytes("png of img:alice");
  EXPECT_EQ(url, "/media/avatars/Aliceavatar_" + hash + ".png");  // first name "Alice"

  for (int64_t viewer : {alice_, bob_, carol_}) {
    Response got = Call("GET", url, Bearer(viewer));
    ASSERT_EQ(got.status, 200);
    ASSERT_TRUE(got.file);
    EXPECT_EQ(tessera::testing::ReadFile(got.file->path), "png of img:alice");
    EXPECT_EQ(got.Header("Content-Type"), "image/png");
  }
  EXPECT_EQ(Call("GET", url, "").status, 401);
  EXPECT_EQ(Call("GET", url, "Bearer x.y.z").status, 401);
  // The name must match the owner's, and the hash must be a current avatar.
  EXPECT_EQ(Call("GET", "/media/avatars/bobavatar_" + hash + ".png", Bearer(bob_)).status, 404);
  EXPECT_EQ(Call("GET", "/media/avatars/Aliceavatar_" + Hash(5) + ".png", Bearer(bob_)).status,
            404);
  // A new upload replaces the old URL.
  ASSERT_EQ(Call("PUT", "/api/user/avatar", Bearer(alice_), "img:alice2").status, 200);
  EXPECT_EQ(Call("GET", url, Bearer(bob_)).status, 404);
}

TEST_F(RoutesApiTest, FacesByIndexWithEntityTags) {
  const std::string path = "/media/faces/" + Hash(kPrivate) + "_0.jpg";
  Response face = Call("GET", path, Bearer(alice_));
  ASSERT_EQ(face.status, 200);
  EXPECT_EQ(face.Header("Content-Type"), "image/jpeg");
  Request again{
      "GET",
      path,
      {{"Authorization", Bearer(alice_)}, {"If-None-Match", std::string(face.Header("ETag"))}},
      "",
      ""};
  EXPECT_EQ(router_->Handle(again).status, 304);
  EXPECT_EQ(Call("GET", "/media/faces/" + Hash(kPrivate) + "_1.jpg", Bearer(alice_)).status, 404);
  EXPECT_EQ(Call("GET", "/media/faces/" + Hash(kPrivate) + "_01.jpg", Bearer(alice_)).status, 404);
}

TEST_F(RoutesApiTest, JobsCombineTheReporterAndTheQueue) {
  auto libraries = catalog_->AddLibrary(alice_, "/photos/alice");
  ASSERT_TRUE(libraries.ok());
  ASSERT_TRUE(catalog_->EnqueueJob(*libraries, "a.jpg", 1).ok());
  ASSERT_TRUE(catalog_->EnqueueJob(*libraries, "b.jpg", 1).ok());
  Response jobs = Call("GET", "/api/jobs", Bearer(alice_));
  ASSERT_EQ(jobs.status, 200);
  nlohmann::json body = nlohmann::json::parse(jobs.body);
  EXPECT_EQ(body["queue"]["pending"], 2);
  EXPECT_EQ(body["scans"][0]["user"], alice_);
  // Another user's libraries are not counted.
  EXPECT_EQ(nlohmann::json::parse(Call("GET", "/api/jobs", Bearer(bob_)).body)["queue"]["pending"],
            0);
}

TEST_F(RoutesApiTest, JobsListTheFailureLedgerAndRetryOnRequest) {
  auto mine = catalog_->AddLibrary(alice_, "/photos/alice");
  auto clean = catalog_->AddLibrary(alice_, "/photos/alice-clean");
  auto theirs = catalog_->AddLibrary(bob_, "/photos/bob");
  ASSERT_TRUE(mine.ok() && clean.ok() && theirs.ok());
  for (const char* name : {"a.jpg", "b.jpg", "c.jpg"}) {
    ASSERT_TRUE(
        catalog_->RecordFailure({*mine, name, 10, 20, std::string(name) + ": corrupt", 0}).ok());
  }
  ASSERT_TRUE(catalog_->RecordFailure({*mine, "a.jpg", 10, 20, "a.jpg: corrupt", 0}).ok());
  ASSERT_TRUE(catalog_->RecordFailure({*theirs, "secret.jpg", 1, 2, "secret.jpg: bad", 0}).ok());

  nlohmann::json body = nlohmann::json::parse(Call("GET", "/api/jobs", Bearer(alice_)).body);
  EXPECT_EQ(body["failures"]["count"], 3);
  ASSERT_EQ(body["failures"]["files"].size(), 2u);  // max_listed_failures
  bool saw_a = false;
  for (const auto& f : body["failures"]["files"]) {
    EXPECT_EQ(f["library"], "/photos/alice");
    EXPECT_NE(f["path"], "secret.jpg");
    if (f["path"] == "a.jpg") {
      saw_a = true;
      EXPECT_EQ(f["attempts"], 2);
      EXPECT_EQ(f["reason"], "a.jpg: corrupt");
    }
  }
  EXPECT_TRUE(saw_a);
  body = nlohmann::json::parse(Call("GET", "/api/jobs", Bearer(carol_)).body);
  EXPECT_EQ(body["failures"]["count"], 0);
  EXPECT_TRUE(body["failures"]["files"].empty());

  // Only the caller's libraries with failures are rescanned.
  EXPECT_EQ(Call("GET", "/api/jobs/retry", Bearer(alice_)).status, 405);
  EXPECT_TRUE(retried_.empty());
  Response retry = Call("POST", "/api/jobs/retry", Bearer(alice_));
  EXPECT_EQ(retry.status, 202);
  EXPECT_EQ(nlohmann::json::parse(retry.body)["retrying"], 3);
  EXPECT_EQ(retried_, std::vector<int64_t>{*mine});
  retried_.clear();
  retry = Call("POST", "/api/jobs/retry", Bearer(carol_));
  EXPECT_EQ(retry.status, 202);
  EXPECT_EQ(nlohmann::json::parse(retry.body)["retrying"], 0);
  EXPECT_TRUE(retried_.empty());
}

class CachingRouterTest : public RoutesApiTest {
 protected:
  void SetUp() override {
    RoutesApiTest::SetUp();
    RouterOptions options;
    options.clock = [this] { return now_; };
    options.dummy_password_cost = library::kTestPasswordCost;
    options.cache_ttl_ms = 3'600'000;  // an hour: nothing expires during the test
    router_ = std::make_unique<Router>(*catalog_, store_, tokens_, std::move(options));
  }
};

TEST_F(CachingRouterTest, RemembersAnswersButAppliesItsOwnChangesAtOnce) {
  const std::string path = "/media/square_thumbnails/" + Hash(kPrivate);
  const std::string carol = Bearer(carol_);
  EXPECT_EQ(Call("GET", path, carol).status, 404);
  // Shared behind the router's back: the remembered answer stands (this is the cache at work).
  ASSERT_TRUE(catalog_->Share(photo_ids_[kPrivate], carol_).ok());
  EXPECT_EQ(Call("GET", path, carol).status, 404);
  ASSERT_TRUE(catalog_->Unshare(photo_ids_[kPrivate], carol_).ok());
  // Through the router, a share applies to the very next request, and so does its undoing.
  ASSERT_EQ(Call("POST", "/api/photos/" + Hash(kPrivate) + "/share", Bearer(alice_),
                 R"({"user":"carol"})")
                .status,
            200);
  EXPECT_EQ(Call("GET", path, carol).status, 200);
  ASSERT_EQ(Call("POST", "/api/photos/" + Hash(kPrivate) + "/unshare", Bearer(alice_),
                 R"({"user":"carol"})")
                .status,
            200);
  EXPECT_EQ(Call("GET", path, carol).status, 404);

  // A remembered token dies with its logout, and with its expiry.
  const std::string alice = Bearer(alice_);
  EXPECT_EQ(Call("GET", path, alice).status, 200);
  EXPECT_EQ(Call("POST", "/api/auth/logout/", alice).status, 204);
  EXPECT_EQ(Call("GET", path, alice).status, 401);
  const std::string soon = "Bearer " + *tokens_.Issue(bob_, TokenType::kAccess, 10);
  EXPECT_EQ(Call("GET", "/media/square_thumbnails/" + Hash(kBobs), soon).status, 200);
  now_ += 11;
  EXPECT_EQ(Call("GET", "/media/square_thumbnails/" + Hash(kBobs), soon).status, 401);
}

}  // namespace
}  // namespace tessera::server
