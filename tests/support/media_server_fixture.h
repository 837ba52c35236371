// The shared set-up of the media-server integration tests: a library folder and a data folder in
// a fresh temp dir, the real `tessera serve` on a free loopback port (killed in TearDown whatever
// happened), the real CLI beside it, and helpers to sign in, list photos and wait for scans.
#ifndef TESSERA_TESTS_SUPPORT_MEDIA_SERVER_FIXTURE_H_
#define TESSERA_TESTS_SUPPORT_MEDIA_SERVER_FIXTURE_H_

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/core/test_fs.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/server_process.h"

namespace tessera::testing {

// The variant kinds every photo gets, as the store and the catalog name them.
inline constexpr const char* kVariantKinds[] = {"thumbnails_big", "square_thumbnails",
                                                "small_square_thumbnails"};

struct Tokens {
  std::string access;
  std::string refresh;
};

// "Thu, 01 Jan 1970 00:00:00 GMT": an HTTP date, as Last-Modified carries it.
std::string HttpDateOf(time_t seconds);

// The BLAKE2b-256 of a file as `b2sum -l 256` prints it: a photo's content hash, computed by a
// tool that is not tessera. "" on failure.
std::string B2Sum(const std::string& path);

class MediaServerFixture : public ::testing::Test {
 protected:
  static constexpr const char* kOwner = "alice";

  MediaServerFixture();
  void TearDown() override;

  // The library folder (canonical: the path the catalog records) and the data folder.
  const std::string& library() const { return library_; }
  const std::string& data() const { return data_; }
  std::string catalog() const { return data_ + "/catalog.db"; }

  // Copies corpus file `corpus_relative` to `name` below the library; returns the new path.
  std::string AddToLibrary(const std::string& corpus_relative, const std::string& name);

  // Starts `tessera serve --library LIB --data DATA --user alice --workers N <extra>` into
  // server_. Fails the assertion with the server's output when it does not come up.
  ::testing::AssertionResult StartServer(const std::vector<std::string>& extra = {"--no-faces"},
                                         int workers = 2);
  // SIGTERM; the exit code.
  int StopServer();
  HttpClient Http() const { return HttpClient(server_ ? server_->port() : 0); }

  // Runs `tessera <args>`.
  ProcessResult Tessera(std::vector<std::string> args);

  // The generated password `tessera serve` wrote to DATA/<user>.password.
  std::string PasswordOf(const std::string& user) const;
  // POST /api/auth/token/obtain/; empty tokens (and a test failure) when refused.
  Tokens SignIn(const std::string& user, const std::string& password);
  // `tessera user token NAME`: an access token made by the CLI.
  std::string CliToken(const std::string& user);
  // `tessera user add NAME` with a generated password; returns the password.
  std::string AddUser(const std::string& name);

  // GET /api/jobs until every scan of the token's user has finished (state idle, a last_scan,
  // files_done == files_total) and the job queue is empty. `jobs` gets the last answer.
  ::testing::AssertionResult WaitForIdle(const std::string& token, nlohmann::json* jobs = nullptr,
                                         std::chrono::seconds timeout = std::chrono::seconds(60));
  // Every page of GET /api/photos, as one array (empty on failure, with a test failure).
  nlohmann::json ListPhotos(const std::string& token);

  // Where the store keeps (kind, hash, ext), whether or not it exists.
  std::string StorePath(const std::string& kind, const std::string& hash,
                        const std::string& ext) const;
  // The stored file of (kind, hash), whatever its extension; "" when there is none, or when
  // there are several (a test failure: a stale copy was left beside the current one).
  std::string StoredFile(const std::string& kind, const std::string& hash) const;

  TempDir temp_;
  std::string library_;
  std::string data_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace tessera::testing

#endif  // TESSERA_TESTS_SUPPORT_MEDIA_SERVER_FIXTURE_H_
