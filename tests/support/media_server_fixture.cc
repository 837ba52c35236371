#include "tests/support/media_server_fixture.h"

#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "src/core/test_corpus.h"

namespace tessera::testing {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string HttpDateOf(time_t seconds) {
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[64];
  std::strftime(out, sizeof(out), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return out;
}

std::string B2Sum(const std::string& path) {
  ProcessResult r = RunProcess({"b2sum", "-l", "256", path});
  if (r.exit_code != 0 || r.out.size() < 64) return "";
  return r.out.substr(0, 64);
}

MediaServerFixture::MediaServerFixture() {
  std::filesystem::create_directories(temp_ / "library");
  library_ = std::filesystem::canonical(temp_ / "library").string();
  data_ = temp_ / "data";
}

void MediaServerFixture::TearDown() {
  if (server_ && HasFailure()) {
    std::cerr << "--- tessera serve stderr (last 4 KiB) ---\n"
              << server_->Stderr().substr(
                     server_->Stderr().size() > 4096 ? server_->Stderr().size() - 4096 : 0)
              << "\n";
  }
  server_.reset();  // SIGKILL to the process group, reaped
}

std::string MediaServerFixture::AddToLibrary(const std::string& corpus_relative,
                                             const std::string& name) {
  const std::string path = library_ + "/" + name;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  CopyFile(CorpusPath(corpus_relative), path);
  return path;
}

::testing::AssertionResult MediaServerFixture::StartServer(const std::vector<std::string>& extra,
                                                           int workers) {
  std::vector<std::string> args = {"--library", library_, "--data",    data_,
                                   "--user",    kOwner,   "--workers", std::to_string(workers)};
  args.insert(args.end(), extra.begin(), extra.end());
  Result<std::unique_ptr<ServerProcess>> started = ServerProcess::Start(args);
  if (!started.ok()) return ::testing::AssertionFailure() << started.status().ToString();
  server_ = std::move(started).value();
  return ::testing::AssertionSuccess();
}

int MediaServerFixture::StopServer() { return server_ ? server_->Terminate() : -1; }

ProcessResult MediaServerFixture::Tessera(std::vector<std::string> args) {
  args.insert(args.begin(), TesseraBin());
  return RunProcess(args);
}

std::string MediaServerFixture::PasswordOf(const std::string& user) const {
  return Trim(ReadFile(data_ + "/" + user + ".password"));
}

Tokens MediaServerFixture::SignIn(const std::string& user, const std::string& password) {
  HttpResponse r =
      Http().Post("/api/auth/token/obtain/", {{"username", user}, {"password", password}});
  nlohmann::json body = r.Json();
  if (r.status != 200 || !body.is_object() || !body.contains("access")) {
    ADD_FAILURE() << "sign-in of " << user << ": " << r.status << " " << r.error << " " << r.body;
    return {};
  }
  return Tokens{r.JsonString("access"), r.JsonString("refresh")};
}

std::string MediaServerFixture::CliToken(const std::string& user) {
  ProcessResult r = Tessera({"user", "token", user, "--data", data_});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "tessera user token " << user << ": " << r.err;
    return "";
  }
  return Trim(r.out);
}

std::string MediaServerFixture::AddUser(const std::string& name) {
  ProcessResult r = Tessera({"user", "add", name, "--data", data_});
  const std::string marker = "password: ";
  size_t at = r.out.find(marker);
  if (r.exit_code != 0 || at == std::string::npos) {
    ADD_FAILURE() << "tessera user add " << name << ": " << r.out << r.err;
    return "";
  }
  return Trim(r.out.substr(at + marker.size()));
}

::testing::AssertionResult MediaServerFixture::WaitForIdle(const std::string& token,
                                                           nlohmann::json* jobs,
                                                           std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  nlohmann::json last;
  for (;;) {
    HttpResponse r = Http().Get("/api/jobs", token);
    last = r.Json();
    bool idle = r.status == 200 && last.is_object() && last["scans"].is_array() &&
                !last["scans"].empty() && last["queue"]["pending"] == 0 &&
                last["queue"]["in_progress"] == 0;
    if (idle) {
      for (nlohmann::json scan : last["scans"]) {
        idle = idle && scan["state"] == "idle" && scan.contains("last_scan") &&
               scan["files_done"] == scan["files_total"];
      }
    }
    if (idle) {
      if (jobs) *jobs = last;
      return ::testing::AssertionSuccess();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return ::testing::AssertionFailure()
             << "scans not idle after " << timeout.count() << " s; /api/jobs: " << r.status << " "
             << r.error << " " << r.body;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

nlohmann::json MediaServerFixture::ListPhotos(const std::string& token) {
  nlohmann::json all = nlohmann::json::array();
  std::string target = "/api/photos?offset=0&limit=100";
  while (!target.empty()) {
    HttpResponse r = Http().Get(target, token);
    nlohmann::json page = r.Json();
    if (r.status != 200 || !page.is_object()) {
      ADD_FAILURE() << "GET " << target << ": " << r.status << " " << r.error << " " << r.body;
      return nlohmann::json::array();
    }
    for (const nlohmann::json& photo : page["results"]) all.push_back(photo);
    target = page["next"].is_string() ? page["next"].get<std::string>() : "";
  }
  return all;
}

std::string MediaServerFixture::StorePath(const std::string& kind, const std::string& hash,
                                          const std::string& ext) const {
  return data_ + "/media/" + kind + "/" + hash.substr(0, 2) + "/" + hash.substr(2, 2) + "/" + hash +
         "." + ext;
}

std::string MediaServerFixture::StoredFile(const std::string& kind, const std::string& hash) const {
  std::vector<std::string> found;
  for (const char* ext : {"jpg", "webp", "png", "avif"}) {
    if (Exists(StorePath(kind, hash, ext))) found.push_back(StorePath(kind, hash, ext));
  }
  if (found.size() > 1) {
    ADD_FAILURE() << kind << " of " << hash << " is stored " << found.size()
                  << " times: " << ::testing::PrintToString(found);
    return "";
  }
  return found.empty() ? "" : found.front();
}

}  // namespace tessera::testing
