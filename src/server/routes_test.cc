// The routes as a pure function: the auth matrix on a thumbnail endpoint and the original,
// conditional and partial requests, path tricks, and sign-in with its rate limit.
#include "src/server/routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "src/server/routes_test_util.h"

namespace tessera::server {
namespace {

using testing::kAlicePassword;
using testing::kSecret;
using testing::MediaLibraryFixture;

// The bytes a response would send: its body, or the range of its file.
std::string SentBytes(const Response& response) {
  if (!response.file) return response.body;
  std::string all = tessera::testing::ReadFile(response.file->path);
  return all.substr(response.file->range.first, response.file->range.length());
}

class RoutesTest : public MediaLibraryFixture {
 protected:
  Response Get(const std::string& target, const std::string& authorization = "",
               const std::string& method = "GET") {
    Request request{method, target, {}, "", "10.0.0.1"};
    if (!authorization.empty()) request.headers.emplace_back("authorization", authorization);
    return router_->Handle(request);
  }
  Response Post(const std::string& target, const nlohmann::json& body,
                const std::string& from = "10.0.0.1") {
    return router_->Handle(Request{"POST", target, {}, body.dump(), from});
  }
  Response Obtain(const std::string& user, const std::string& password,
                  const std::string& from = "10.0.0.1") {
    return Post("/api/auth/token/obtain/", {{"username", user}, {"password", password}}, from);
  }
};

TEST_F(RoutesTest, AuthMatrixOnEveryMediaEndpoint) {
  TokenService forger(std::string(64, 'f'), [this] { return now_; });
  TokenService past(kSecret, [this] { return now_ - 1000; });
  struct Case {
    std::string asker;
    std::string authorization;
    int private_status, shared_status, public_status, missing_status;
  };
  const std::vector<Case> cases = {
      {"nobody", "", 401, 401, 200, 401},
      {"malformed", "Bearer not.a.jwt", 401, 401, 401, 401},
      {"not bearer", "Basic YWxpY2U6eA==", 401, 401, 401, 401},
      {"bad signature", "Bearer " + *forger.Issue(alice_, TokenType::kAccess, 300), 401, 401, 401,
       401},
      {"expired", "Bearer " + *past.Issue(alice_, TokenType::kAccess, 300), 401, 401, 401, 401},
      {"refresh token", "Bearer " + *tokens_.Issue(alice_, TokenType::kRefresh, 300), 401, 401, 401,
       401},
      {"other user", "Bearer " + AccessFor(carol_), 404, 404, 200, 404},
      {"owner", "Bearer " + AccessFor(alice_), 200, 200, 200, 404},
      {"sharee", "Bearer " + AccessFor(bob_), 404, 200, 200, 404},
  };
  for (const Case& c : cases) {
    const std::pair<int, int> photos[] = {{kPrivate, c.private_status},
                                          {kShared, c.shared_status},
                                          {kPublic, c.public_status},
                                          {kMissing, c.missing_status}};
    struct Endpoint {
      std::string prefix, suffix;
      std::string (*bytes)(int);
    };
    const Endpoint endpoints[] = {
        {"/media/square_thumbnails/", "", &SquareBytes},
        {"/media/small_square_thumbnails/", "", [](int n) { return "small " + SquareBytes(n); }},
        {"/media/square_thumbnails_small/", "", [](int n) { return "small " + SquareBytes(n); }},
        {"/media/thumbnails_big/", "", &BigBytes},
        {"/media/photos/", "", &OriginalBytes},
        {"/media/faces/", "_0.jpg", &FaceBytes},
    };
    for (auto [photo, expected] : photos)
      for (const Endpoint& e : endpoints) {
        SCOPED_TRACE(c.asker + " asking for " + e.prefix + " of photo " + std::to_string(photo));
        Response response = Get(e.prefix + Hash(photo) + e.suffix, c.authorization);
        EXPECT_EQ(response.status, expected);
        if (expected == 200) {
          EXPECT_EQ(SentBytes(response), e.bytes(photo));
        } else {
          EXPECT_FALSE(response.file);
          EXPECT_EQ(response.body.find("jwt"), std::string::npos);
        }
        EXPECT_EQ(!response.Header("WWW-Authenticate").empty(), expected == 401);
      }
  }
}

TEST_F(RoutesTest, AnonymousGetsBearerChallengeAndInvalidTokenIsSaidSo) {
  Response anonymous = Get("/media/square_thumbnails/" + Hash(kPrivate));
  EXPECT_EQ(anonymous.Header("WWW-Authenticate"), R"(Bearer realm="tessera")");
  Response invalid = Get("/media/square_thumbnails/" + Hash(kPrivate), "Bearer x.y.z");
  EXPECT_NE(invalid.Header("WWW-Authenticate").find("invalid_token"), std::string::npos);
}

TEST_F(RoutesTest, JwtCookieIsAcceptedOnMedia) {
  Request request{"GET", "/media/square_thumbnails/" + Hash(kPrivate), {}, "", ""};
  request.headers.emplace_back("Cookie", "csrftoken=abc; jwt=" + AccessFor(alice_) + "; x=y");
  EXPECT_EQ(router_->Handle(request).status, 200);
  request.headers = {{"Cookie", "jwt=" + AccessFor(carol_)}};
  EXPECT_EQ(router_->Handle(request).status, 404);
  request.headers = {{"Cookie", "jwt=garbage"}};
  EXPECT_EQ(router_->Handle(request).status, 401);
}

TEST_F(RoutesTest, EveryThumbnailPathServesItsVariant) {
  std::string auth = "Bearer " + AccessFor(alice_);
  Response big = Get("/media/thumbnails_big/" + Hash(kPrivate), auth);
  EXPECT_EQ(big.status, 200);
  EXPECT_EQ(big.Header("Content-Type"), "image/webp");
  EXPECT_EQ(SentBytes(big), BigBytes(kPrivate));
  // The recipe names the format; a file of another format under the same key is not taken.
  ASSERT_TRUE(store_.Put("thumbnails_big", Hash(kPrivate), "jpg", "stale jpeg").ok());
  EXPECT_EQ(SentBytes(Get("/media/thumbnails_big/" + Hash(kPrivate), auth)), BigBytes(kPrivate));
  EXPECT_EQ(SentBytes(Get("/media/small_square_thumbnails/" + Hash(kPrivate), auth)),
            "small " + SquareBytes(kPrivate));
  EXPECT_EQ(SentBytes(Get("/media/square_thumbnails_small/" + Hash(kPrivate), auth)),
            "small " + SquareBytes(kPrivate));
  // A photo with no variant catalogued yet: not found, even with a file in the store.
  ASSERT_TRUE(catalog_->UpsertPhoto(alice_, Hash(50), library::testing::JpegMeta()).ok());
  ASSERT_TRUE(store_.Put("square_thumbnails", Hash(50), "jpg", "orphan").ok());
  EXPECT_EQ(Get("/media/square_thumbnails/" + Hash(50), auth).status, 404);
}

TEST_F(RoutesTest, CachingHeadersAndNotModified) {
  std::string auth = "Bearer " + AccessFor(alice_);
  Response first = Get("/media/square_thumbnails/" + Hash(kPrivate), auth);
  ASSERT_EQ(first.status, 200);
  std::string etag(first.Header("ETag"));
  EXPECT_NE(etag.find(Hash(kPrivate)), std::string::npos);
  EXPECT_FALSE(first.Header("Last-Modified").empty());
  EXPECT_TRUE(first.Header("Cache-Control").starts_with("private"));
  EXPECT_TRUE(Get("/media/square_thumbnails/" + Hash(kPublic), auth)
                  .Header("Cache-Control")
                  .starts_with("public"));

  Request again{"GET", "/media/square_thumbnails/" + Hash(kPrivate), {}, "", ""};
  again.headers = {{"Authorization", auth}, {"If-None-Match", etag}};
  Response not_modified = router_->Handle(again);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_FALSE(not_modified.file);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(not_modified.Header("ETag"), etag);

  // A new recipe is a new representation.
  ASSERT_TRUE(catalog_
                  ->RecordVariant({photo_ids_[kPrivate], "square_thumbnails",
                                   "square_thumbnails crop 500 jpg q90", 1, 1, 1})
                  .ok());
  EXPECT_EQ(router_->Handle(again).status, 200);
  // The tag does not open a door the token does not.
  again.headers = {{"If-None-Match", etag}};
  EXPECT_EQ(router_->Handle(again).status, 401);
}

TEST_F(RoutesTest, HeadHasNoBodyButTheLength) {
  Response head = Get("/media/square_thumbnails/" + Hash(kPublic), "", /*method=*/"HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_FALSE(head.file);
  EXPECT_TRUE(head.body.empty());
  ASSERT_TRUE(head.head_content_length);
  EXPECT_EQ(*head.head_content_length, SquareBytes(kPublic).size());
  EXPECT_EQ(head.Header("Content-Type"), "image/jpeg");
  Response health = Get("/api/health", "", "HEAD");
  EXPECT_TRUE(health.body.empty());
  EXPECT_EQ(health.status, 200);
}

TEST_F(RoutesTest, MalformedPathsAreNotFoundEvenForTheOwner) {
  std::string auth = "Bearer " + AccessFor(alice_);
  for (const std::string& target : std::vector<std::string>{
           "/media/square_thumbnails/../thumbnails_big/" + Hash(kPrivate),
           "/media/square_thumbnails/" + Hash(kPrivate) + "/",
           "/media/square_thumbnails/" + Hash(kPrivate).substr(1),
           "/media/square_thumbnails/" + std::string(64, 'G'),
           "/media/square_thumbnails/%2e%2e/%2e%2e/etc/passwd",
           "/media/square_thumbnails/..",
           "/media/../../etc/passwd",
           "/media/thumbnails/" + Hash(kPrivate),
           "/media//square_thumbnails/" + Hash(kPrivate),
       }) {
    SCOPED_TRACE(target);
    for (const std::string& a : {std::string(), auth}) {
      Response response = Get(target, a);
      EXPECT_EQ(response.status, 404);
      EXPECT_TRUE(response.Header("WWW-Authenticate").empty());
    }
  }
  // A query string is not part of the path.
  EXPECT_EQ(Get("/media/square_thumbnails/" + Hash(kPrivate) + "?size=1", auth).status, 200);
}

TEST_F(RoutesTest, OriginalsWithRanges) {
  std::string auth = "Bearer " + AccessFor(alice_);
  std::string target = "/media/photos/" + Hash(kPrivate);
  Response whole = Get(target, auth);
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(SentBytes(whole), OriginalBytes(kPrivate));
  EXPECT_EQ(whole.Header("Accept-Ranges"), "bytes");
  EXPECT_EQ(whole.Header("Content-Type"), "image/jpeg");
  EXPECT_EQ(Get(target).status, 401);
  EXPECT_EQ(Get(target, "Bearer " + AccessFor(carol_)).status, 404);

  Request ranged{"GET", target, {{"Authorization", auth}, {"Range", "bytes=10-19"}}, "", ""};
  Response part = router_->Handle(ranged);
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.Header("Content-Range"), "bytes 10-19/1000");
  EXPECT_EQ(SentBytes(part), OriginalBytes(kPrivate).substr(10, 10));

  ranged.headers[1].second = "bytes=-5";
  EXPECT_EQ(SentBytes(router_->Handle(ranged)), OriginalBytes(kPrivate).substr(995));

  ranged.headers[1].second = "bytes=1000-";
  Response refused = router_->Handle(ranged);
  EXPECT_EQ(refused.status, 416);
  EXPECT_EQ(refused.Header("Content-Range"), "bytes */1000");
  EXPECT_FALSE(refused.file);

  ranged.headers = {{"Authorization", auth}, {"If-None-Match", std::string(whole.Header("ETag"))}};
  EXPECT_EQ(router_->Handle(ranged).status, 304);
}

TEST_F(RoutesTest, AClipSquareIsServedAsVideoWithRanges) {
  // A video's square thumbnail stored as an MP4 clip: its recipe names mp4.
  const std::string clip(3000, 'v');
  ASSERT_TRUE(store_.Put("square_thumbnails", Hash(kPrivate), "mp4", clip).ok());
  ASSERT_TRUE(catalog_
                  ->RecordVariant(library::Variant{
                      photo_ids_[kPrivate], "square_thumbnails",
                      "square_thumbnails clip 500x500 mp4 3s 25fps crf28 veryfast tessera 0", 500,
                      500, static_cast<int64_t>(clip.size())})
                  .ok());
  const std::string auth = "Bearer " + AccessFor(alice_);
  const std::string target = "/media/square_thumbnails/" + Hash(kPrivate);
  Response whole = Get(target, auth);
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.Header("Content-Type"), "video/mp4");
  EXPECT_EQ(whole.Header("Accept-Ranges"), "bytes");
  EXPECT_EQ(SentBytes(whole), clip);
  Request ranged{"GET", target, {{"Authorization", auth}, {"Range", "bytes=0-1"}}, "", ""};
  Response part = router_->Handle(ranged);
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.Header("Content-Range"), "bytes 0-1/3000");
  EXPECT_EQ(SentBytes(part), "vv");
  // Images answer whole, as before.
  ranged.target = "/media/thumbnails_big/" + Hash(kPrivate);
  EXPECT_EQ(router_->Handle(ranged).status, 200);
}

TEST_F(RoutesTest, OriginalsWithoutALocatorAreNotImplemented) {
  Router bare(*catalog_, store_, tokens_);
  Request request{"GET", "/media/photos/" + Hash(kPublic), {}, "", ""};
  EXPECT_EQ(bare.Handle(request).status, 501);
  request.target = "/media/photos/" + Hash(kPrivate);
  EXPECT_EQ(bare.Handle(request).status, 401) << "auth still comes first";
}

TEST_F(RoutesTest, MethodsAndUnknownPaths) {
  EXPECT_EQ(Get("/media/square_thumbnails/" + Hash(kPublic), "", "POST").status, 405);
  EXPECT_EQ(Get("/media/square_thumbnails/" + Hash(kPublic), "", "DELETE").Header("Allow"),
            "GET, HEAD");
  EXPECT_EQ(Get("/api/auth/token/obtain/").status, 405);
  EXPECT_EQ(Get("/api/health", "", "POST").status, 405);
  EXPECT_EQ(Get("/").status, 404);
  // Unknown API paths ask for credentials first, so they reveal nothing to the anonymous.
  EXPECT_EQ(Get("/api/nothing").status, 401);
  EXPECT_EQ(Get("/api/nothing", "Bearer " + AccessFor(alice_)).status, 404);
  Response health = Get("/api/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(nlohmann::json::parse(health.body), nlohmann::json({{"status", "ok"}}));
}

TEST_F(RoutesTest, ObtainAndRefreshTokens) {
  Response obtained = Obtain("alice", kAlicePassword);
  ASSERT_EQ(obtained.status, 200) << obtained.body;
  nlohmann::json pair = nlohmann::json::parse(obtained.body);
  std::string access = pair["access"], refresh = pair["refresh"];
  EXPECT_EQ(Get("/media/square_thumbnails/" + Hash(kPrivate), "Bearer " + access).status, 200);
  EXPECT_EQ(Get("/media/square_thumbnails/" + Hash(kPrivate), "Bearer " + refresh).status, 401);

  Response refreshed = Post("/api/auth/token/refresh/", {{"refresh", refresh}});
  ASSERT_EQ(refreshed.status, 200);
  std::string new_access = nlohmann::json::parse(refreshed.body)["access"];
  EXPECT_EQ(Get("/media/square_thumbnails/" + Hash(kPrivate), "Bearer " + new_access).status, 200);
  EXPECT_EQ(Post("/api/auth/token/refresh/", {{"refresh", access}}).status, 401);
  EXPECT_EQ(Post("/api/auth/token/refresh/", {{"nothing", 1}}).status, 400);
}

TEST_F(RoutesTest, WrongPasswordsAndBadBodies) {
  Response wrong = Obtain("alice", "wrong");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body.find("wrong"), std::string::npos);
  EXPECT_EQ(Obtain("nobody", kAlicePassword).status, 401);
  EXPECT_EQ(Obtain("bob", "").status, 401) << "bob has no password: he may not sign in";
  EXPECT_EQ(router_->Handle(Request{"POST", "/api/auth/token/obtain/", {}, "{not json", ""}).status,
            400);
  EXPECT_EQ(Post("/api/auth/token/obtain/", {{"username", "alice"}, {"password", 5}}).status, 400);
}

TEST_F(RoutesTest, LoginsAreRateLimitedPerUserAndPerAddress) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Obtain("alice", "guess" + std::to_string(i), "10.0.0.2").status, 401);
  }
  // Past the limit even the right password waits, from any address.
  Response limited = Obtain("alice", kAlicePassword, "10.0.0.3");
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.Header("Retry-After").empty());
  // The guessing address is limited for other names too.
  EXPECT_EQ(Obtain("carol", "x", "10.0.0.2").status, 429);
  // Once the window has passed, the right password works again.
  now_ += 61;
  EXPECT_EQ(Obtain("alice", kAlicePassword, "10.0.0.3").status, 200);
}

TEST_F(RoutesTest, ADeletedUsersTokenIsRefused) {
  // A token for a user id that does not exist (a deleted user) is as bad as a forged one.
  EXPECT_EQ(Get("/media/square_thumbnails/" + Hash(kPublic), "Bearer " + AccessFor(12345)).status,
            401);
}

}  // namespace
}  // namespace tessera::server
