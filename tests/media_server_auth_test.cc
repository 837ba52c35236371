// Who sees what, over real HTTP against the real server: bearer tokens and the "jwt" cookie,
// another user's private photo, sharing and publishing from the CLI while the server runs, and
// a logout that kills both tokens.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tests/support/image_check.h"
#include "tests/support/media_server_fixture.h"

namespace tessera::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kPhoto = "photos/kphotoalbum__donna.jpg";

const char* const kMediaKinds[] = {"thumbnails_big", "square_thumbnails", "small_square_thumbnails",
                                   "square_thumbnails_small", "photos"};

class MediaServerAuthTest : public MediaServerFixture {
 protected:
  // The status of every media endpoint of `hash` for `token` ("" for anonymous): one status
  // when they all agree, else -1.
  int MediaStatus(const std::string& hash, const std::string& token) {
    int status = 0;
    for (const char* kind : kMediaKinds) {
      int s = Http().Get(std::string("/media/") + kind + "/" + hash, token).status;
      if (status != 0 && s != status) return -1;
      status = s;
    }
    return status;
  }
  // A change made by another process (the command line) reaches a running server within its
  // cache's time to live (RouterOptions::cache_ttl_ms, 2 s): the status, once it is `expected`
  // or after 10 s.
  int MediaStatusSoon(const std::string& hash, const std::string& token, int expected) {
    int status = MediaStatus(hash, token);
    for (int i = 0; i < 100 && status != expected; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      status = MediaStatus(hash, token);
    }
    return status;
  }
};

TEST_F(MediaServerAuthTest, TokensCookieSharingPublicAndLogout) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  const std::string path = AddToLibrary(kPhoto, "donna.jpg");
  const std::string hash = B2Sum(path);
  const std::string bob_password = AddUser("bob");
  ASSERT_FALSE(bob_password.empty());
  ASSERT_TRUE(StartServer());

  // Anonymous: asked to sign in, on media and on the API.
  HttpResponse anonymous = Http().Get("/media/thumbnails_big/" + hash);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_THAT(anonymous.Header("WWW-Authenticate"), StartsWith("Bearer"));
  EXPECT_THAT(anonymous.Header("WWW-Authenticate"), ::testing::Not(HasSubstr("invalid_token")));
  EXPECT_EQ(Http().Get("/api/photos").status, 401);
  EXPECT_EQ(Http().Get("/api/health").status, 200);

  // Sign-in with the password file `serve` wrote; a wrong password is refused.
  HttpResponse wrong =
      Http().Post("/api/auth/token/obtain/", {{"username", kOwner}, {"password", "not-it"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_THAT(wrong.body, ::testing::Not(HasSubstr("access")));
  const Tokens alice = SignIn(kOwner, PasswordOf(kOwner));
  ASSERT_FALSE(alice.access.empty());
  ASSERT_FALSE(alice.refresh.empty());
  ASSERT_TRUE(WaitForIdle(alice.access));
  EXPECT_EQ(MediaStatus(hash, alice.access), 200);
  EXPECT_EQ(MediaStatus(hash, CliToken(kOwner)), 200) << "a `tessera user token` token";

  // The cookie LibrePhotos' web client sends.
  HttpResponse cookie = Http().Send({"GET",
                                     "/media/square_thumbnails/" + hash,
                                     {{"Cookie", "csrftoken=x; jwt=" + alice.access}}});
  EXPECT_EQ(cookie.status, 200);
  EXPECT_TRUE(DecodeFully(cookie.body).ok());
  // A damaged token is not anonymous: 401 saying the token is bad.
  HttpResponse damaged = Http().Get("/media/thumbnails_big/" + hash, alice.access + "x");
  EXPECT_EQ(damaged.status, 401);
  EXPECT_THAT(damaged.Header("WWW-Authenticate"), HasSubstr("invalid_token"));

  // Bob may not see Alice's private photo, and cannot tell it from one that does not exist.
  const Tokens bob = SignIn("bob", bob_password);
  ASSERT_FALSE(bob.access.empty());
  EXPECT_EQ(MediaStatus(hash, bob.access), 404);
  HttpResponse hidden = Http().Get("/media/photos/" + hash, bob.access);
  HttpResponse missing = Http().Get("/media/photos/" + std::string(64, 'a'), bob.access);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(hidden.body, missing.body);
  EXPECT_TRUE(ListPhotos(bob.access).empty());
  // Nor share it.
  EXPECT_EQ(Http().Post("/api/photos/" + hash + "/public", {{"public", true}}, bob.access).status,
            404);
  ProcessResult not_owner =
      Tessera({"photo", "share", hash, "--owner", "bob", "--with", kOwner, "--data", data()});
  EXPECT_EQ(not_owner.exit_code, 2) << not_owner.err;

  // Shared from the CLI while the server runs: Bob sees it (within the cache's 2 s), as not his.
  ProcessResult share =
      Tessera({"photo", "share", hash, "--owner", kOwner, "--with", "bob", "--data", data()});
  ASSERT_EQ(share.exit_code, 0) << share.err;
  EXPECT_EQ(MediaStatusSoon(hash, bob.access, 200), 200);
  nlohmann::json bobs = ListPhotos(bob.access);
  ASSERT_EQ(bobs.size(), 1u);
  EXPECT_EQ(bobs[0]["hash"], hash);
  EXPECT_EQ(bobs[0]["owned"], false);
  EXPECT_EQ(MediaStatus(hash, ""), 401) << "shared is not public";
  ProcessResult unshare = Tessera(
      {"photo", "share", hash, "--owner", kOwner, "--with", "bob", "--off", "--data", data()});
  ASSERT_EQ(unshare.exit_code, 0) << unshare.err;
  EXPECT_EQ(MediaStatusSoon(hash, bob.access, 404), 404);

  // Public: anyone, signed in or not, with a public cache policy.
  ProcessResult publish = Tessera({"photo", "public", hash, "--owner", kOwner, "--data", data()});
  ASSERT_EQ(publish.exit_code, 0) << publish.err;
  EXPECT_EQ(MediaStatusSoon(hash, "", 200), 200);
  EXPECT_EQ(MediaStatusSoon(hash, bob.access, 200), 200);
  HttpResponse open = Http().Get("/media/thumbnails_big/" + hash);
  EXPECT_THAT(open.Header("Cache-Control"), StartsWith("public"));
  EXPECT_TRUE(DecodeFully(open.body).ok());

  // Logout revokes the access token and the refresh token given with it.
  HttpResponse logout =
      Http().Post("/api/auth/logout/", {{"refresh", alice.refresh}}, alice.access);
  EXPECT_EQ(logout.status, 204) << logout.body;
  EXPECT_EQ(Http().Get("/api/photos", alice.access).status, 401);
  EXPECT_EQ(MediaStatus(hash, alice.access), 401)
      << "a revoked token is 401 even on a public photo";
  HttpResponse revoked_cookie =
      Http().Send({"GET", "/media/thumbnails_big/" + hash, {{"Cookie", "jwt=" + alice.access}}});
  EXPECT_EQ(revoked_cookie.status, 401);
  EXPECT_EQ(Http().Post("/api/auth/token/refresh/", {{"refresh", alice.refresh}}).status, 401);
  // Bob's session is untouched, and Alice can sign in again.
  EXPECT_EQ(Http().Get("/api/photos", bob.access).status, 200);
  const Tokens again = SignIn(kOwner, PasswordOf(kOwner));
  EXPECT_EQ(Http().Get("/api/photos", again.access).status, 200);
}

class MediaServerAvatarTest : public MediaServerFixture {
 protected:
  HttpResponse PutAvatar(const std::string& bytes, const std::string& token) {
    return Http().Send({"PUT",
                        "/api/user/avatar",
                        {{"Authorization", "Bearer " + token}, {"Content-Type", "image/jpeg"}},
                        bytes});
  }
};

TEST_F(MediaServerAvatarTest, UploadedAvatarIsServedToSignedInUsersAndBadUploadsAreRefused) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  TESSERA_REQUIRE_CORPUS_FILE("bad/text-file.jpg");
  TESSERA_REQUIRE_CORPUS_FILE("bad/jpeg-sof-65000x65000-truncated.jpg");
  const std::string bob_password = AddUser("bob");
  ASSERT_TRUE(StartServer());  // an empty library
  const Tokens alice = SignIn(kOwner, PasswordOf(kOwner));
  const Tokens bob = SignIn("bob", bob_password);
  ASSERT_FALSE(alice.access.empty());
  ASSERT_FALSE(bob.access.empty());

  HttpResponse put = PutAvatar(ReadFile(CorpusPath(kPhoto)), alice.access);  // 800x532
  ASSERT_EQ(put.status, 200) << put.body;
  const std::string url = put.JsonString("avatar");
  EXPECT_THAT(url, ::testing::MatchesRegex("/media/avatars/aliceavatar_[0-9a-f]{64}\\.png"));

  HttpResponse got = Http().Get(url, bob.access);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.Header("Content-Type"), "image/png");
  Result<DecodedImage> png = DecodeFully(got.body);
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  EXPECT_EQ(png->loader, "pngload_buffer");
  EXPECT_EQ(png->width, 256);
  EXPECT_EQ(png->height, 256);
  // Content-addressed: the name is the hash of the served bytes.
  const std::string png_path = temp_ / "avatar.png";
  WriteFile(png_path, got.body);
  EXPECT_THAT(url, HasSubstr(B2Sum(png_path)));

  EXPECT_EQ(Http().Get(url).status, 401) << "avatars are for signed-in users";
  std::string other_name = url;
  other_name.replace(other_name.find("alice"), 5, "bob");
  EXPECT_EQ(Http().Get(other_name, bob.access).status, 404) << "the first name is part of the URL";
  EXPECT_EQ(Http().Send({"PUT", "/api/user/avatar", {}, ReadFile(CorpusPath(kPhoto))}).status, 401);

  // Hostile bytes: refused with a reason about the upload, never a 5xx.
  for (const char* bad : {"bad/text-file.jpg", "bad/jpeg-sof-65000x65000-truncated.jpg"}) {
    SCOPED_TRACE(bad);
    HttpResponse refused = PutAvatar(ReadFile(CorpusPath(bad)), alice.access);
    EXPECT_GE(refused.status, 400);
    EXPECT_LT(refused.status, 500);
    nlohmann::json detail = refused.Json();
    ASSERT_TRUE(detail.is_object()) << refused.body;
    EXPECT_TRUE(detail.contains("detail")) << refused.body;
  }
  EXPECT_EQ(PutAvatar("", alice.access).status, 400);

  // More than 16 MiB: 413, refused on its announced length.
  HttpResponse huge = PutAvatar(std::string((16 << 20) + 1, '\xff'), alice.access);
  EXPECT_EQ(huge.status, 413) << huge.error;

  // The server kept serving, the first avatar is intact, and no upload is left in DATA/tmp.
  EXPECT_EQ(Http().Get("/api/health").status, 200);
  EXPECT_EQ(Http().Get(url, bob.access).body, got.body);
  EXPECT_TRUE(FilesUnder(data() + "/tmp").empty());
}

// The reason given for a refused upload is about the client's bytes: it must not name the
// server's data folder or its temp files ("Bodies never carry internal error text").
TEST_F(MediaServerAvatarTest, ARefusedAvatarDoesNotTellServerPaths) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/text-file.jpg");
  ASSERT_TRUE(StartServer());
  const Tokens alice = SignIn(kOwner, PasswordOf(kOwner));
  HttpResponse refused = PutAvatar(ReadFile(CorpusPath("bad/text-file.jpg")), alice.access);
  EXPECT_EQ(refused.status, 415);
  EXPECT_THAT(refused.body, ::testing::Not(HasSubstr(data())));
  EXPECT_THAT(refused.body, ::testing::Not(HasSubstr("/tmp/upload-")));
}

// A phone photo as it comes (2.7 MB) is an upload the server promises to take (up to 16 MiB).
TEST_F(MediaServerAvatarTest, AnAvatarOverOneMebibyteIsAccepted) {
  constexpr const char* kPhonePhoto = "photos/forensics__IMG_20200124_231153.jpg";
  TESSERA_REQUIRE_CORPUS_FILE(kPhonePhoto);
  ASSERT_TRUE(StartServer());
  const Tokens alice = SignIn(kOwner, PasswordOf(kOwner));
  const std::string bytes = ReadFile(CorpusPath(kPhonePhoto));
  ASSERT_GT(bytes.size(), 1u << 20);
  HttpResponse put = PutAvatar(bytes, alice.access);
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_THAT(put.JsonString("avatar"), StartsWith("/media/avatars/aliceavatar_"));
}

}  // namespace
}  // namespace tessera::testing
