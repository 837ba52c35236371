// `tessera serve` on a small real library, over real loopback HTTP: the start-up scan (a broken
// file among good ones), the photo list, every media endpoint with decodable bytes of the right
// size and type, and the caching and range headers browsers and players rely on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <thread>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tests/support/catalog_reader.h"
#include "tests/support/image_check.h"
#include "tests/support/media_server_fixture.h"

namespace tessera::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;

struct LibraryFile {
  const char* corpus;
  const char* name;  // below the library root
  int width;         // as displayed (EXIF orientation applied)
  int height;
  const char* mime;
};

constexpr LibraryFile kTagged = {"orientation/orientation-6.jpg", "tagged.jpg", 1200, 800,
                                 "image/jpeg"};  // stored 800x1200, Orientation=6
constexpr LibraryFile kWide = {"photos/mate__Aqua.jpg", "wide.jpg", 2560, 1600, "image/jpeg"};
constexpr LibraryFile kPeople = {"faces/dlib__2008_002506.jpg", "people.jpg", 500, 375,
                                 "image/jpeg"};  // three faces, smaller than a 500 px square
constexpr LibraryFile kNested = {"photos/kphotoalbum__donna.jpg", "2019/summer/donna.jpg", 800, 532,
                                 "image/jpeg"};
constexpr LibraryFile kClip = {"video/real-h264-320x240__imageio__realshort.mp4", "clip.mp4", 320,
                               240, "video/mp4"};
constexpr const char* kBroken = "bad/truncated-in-header-600B__IMG_20191224_234846.jpg";

// The big thumbnail fits 4096x1080 and is never upscaled.
std::pair<int, int> ExpectedBig(int width, int height) {
  const double scale = std::min({1.0, 4096.0 / width, 1080.0 / height});
  return {static_cast<int>(std::lround(width * scale)),
          static_cast<int>(std::lround(height * scale))};
}

class MediaServerServeTest : public MediaServerFixture {
 protected:
  // GETs a variant and checks its type and that every pixel decodes; returns its size.
  std::pair<int, int> FetchImage(const std::string& url, const std::string& token,
                                 const std::string& content_type = "image/jpeg") {
    HttpResponse r = Http().Get(url, token);
    EXPECT_EQ(r.status, 200) << url << " " << r.error;
    EXPECT_EQ(r.Header("Content-Type"), content_type) << url;
    Result<DecodedImage> image = DecodeFully(r.body);
    EXPECT_TRUE(image.ok()) << url << ": " << image.status().ToString();
    if (!image.ok()) return {0, 0};
    return {image->width, image->height};
  }
};

TEST_F(MediaServerServeTest, ScansALibraryWithABrokenFileAndServesEveryMediaKind) {
  const LibraryFile files[] = {kTagged, kWide, kPeople, kNested, kClip};
  for (const LibraryFile& f : files) TESSERA_REQUIRE_CORPUS_FILE(f.corpus);
  TESSERA_REQUIRE_CORPUS_FILE(kBroken);
  std::map<std::string, LibraryFile> by_hash;
  std::map<std::string, std::string> path_of;
  for (const LibraryFile& f : files) {
    const std::string path = AddToLibrary(f.corpus, f.name);
    const std::string hash = B2Sum(path);
    ASSERT_EQ(hash.size(), 64u) << "b2sum of " << path;
    by_hash[hash] = f;
    path_of[hash] = path;
  }
  AddToLibrary(kBroken, "broken.jpg");

  ASSERT_TRUE(StartServer({}));  // faces on: /media/faces/ is one of the media kinds
  EXPECT_THAT(server_->Stdout(), HasSubstr("user alice created"));
  EXPECT_EQ(Stat(data() + "/alice.password").st_mode & 0777, 0600u);
  const Tokens alice = SignIn(kOwner, PasswordOf(kOwner));
  ASSERT_FALSE(alice.access.empty());

  nlohmann::json jobs;
  ASSERT_TRUE(WaitForIdle(alice.access, &jobs));
  ASSERT_EQ(jobs["scans"].size(), 1u) << jobs.dump();
  const nlohmann::json& scan = jobs["scans"][0];
  EXPECT_EQ(scan["library"], library());
  EXPECT_EQ(scan["files_total"], 6) << "every file was queued, the broken one too";
  EXPECT_EQ(scan["last_scan"]["files_seen"], 6);
  EXPECT_EQ(scan["last_scan"]["new_photos"], 5);
  EXPECT_EQ(scan["last_scan"]["failed"], 1) << "the broken file, and only it";
  EXPECT_EQ(jobs["queue"]["pending"], 0);
  // The failure ledger at /api/jobs: the broken file, its reason, one attempt.
  EXPECT_EQ(jobs["failures"]["count"], 1) << jobs.dump();
  ASSERT_EQ(jobs["failures"]["files"].size(), 1u) << jobs.dump();
  EXPECT_EQ(jobs["failures"]["files"][0]["path"], "broken.jpg");
  EXPECT_EQ(jobs["failures"]["files"][0]["attempts"], 1);
  EXPECT_THAT(jobs["failures"]["files"][0].value("reason", ""), HasSubstr("broken.jpg"));
  // The final log line of the scan.
  EXPECT_TRUE(server_->WaitForStderr("scan " + library() + ": 6 files", 5s)) << server_->Stderr();

  // The photo list: one entry per good file, sizes as displayed, with a placeholder.
  const nlohmann::json photos = ListPhotos(alice.access);
  ASSERT_EQ(photos.size(), 5u) << photos.dump();
  for (const nlohmann::json& photo : photos) {
    const std::string hash = photo.value("hash", "");
    ASSERT_EQ(by_hash.count(hash), 1u) << "a hash that is not b2sum of a library file: " << hash;
    const LibraryFile& f = by_hash[hash];
    SCOPED_TRACE(f.name);
    EXPECT_EQ(photo["mime_type"], f.mime);
    EXPECT_EQ(photo["width"], f.width);
    EXPECT_EQ(photo["height"], f.height);
    EXPECT_EQ(photo["size"], Stat(path_of[hash]).st_size);
    ASSERT_TRUE(photo["placeholder"].is_string()) << photo.dump();
    EXPECT_GE(photo["placeholder"].get<std::string>().size(), 20u);
    EXPECT_EQ(photo["placeholder_type"], "thumbhash");
    EXPECT_EQ(photo["owned"], true);
    EXPECT_EQ(photo["public"], false);
    EXPECT_EQ(photo["thumbnails_big"], "/media/thumbnails_big/" + hash);
    EXPECT_EQ(photo["original"], "/media/photos/" + hash);
    if (std::string(f.mime) == "video/mp4") {
      EXPECT_GT(photo.value("duration", 0.0), 1.0);
    }
  }

  // Every variant endpoint: JPEG bytes that decode, with the promised geometry.
  for (const auto& [hash, f] : by_hash) {
    SCOPED_TRACE(f.name);
    auto [big_w, big_h] = FetchImage("/media/thumbnails_big/" + hash, alice.access);
    auto [want_w, want_h] = ExpectedBig(f.width, f.height);
    EXPECT_NEAR(big_w, want_w, 1);
    EXPECT_NEAR(big_h, want_h, 1);
    EXPECT_LE(big_w, std::min(4096, f.width));
    EXPECT_LE(big_h, std::min(1080, f.height));
    const int edge = std::min(f.width, f.height);
    if (std::string(f.mime) == "video/mp4") {
      // A video's square is a short muted clip (the default), as LibrePhotos makes it.
      HttpResponse clip = Http().Get("/media/square_thumbnails/" + hash, alice.access);
      EXPECT_EQ(clip.status, 200);
      EXPECT_EQ(clip.Header("Content-Type"), "video/mp4");
      EXPECT_EQ(clip.Header("Accept-Ranges"), "bytes");
      TempDir probe_dir;
      WriteFile(probe_dir / "clip.mp4", clip.body);
      ProcessResult probe = RunProcess({"ffprobe", "-v", "error", "-show_entries",
                                        "stream=codec_type,codec_name,width,height", "-of",
                                        "compact=p=0:nk=1", probe_dir / "clip.mp4"});
      ASSERT_EQ(probe.exit_code, 0) << probe.err;
      EXPECT_EQ(probe.out, "h264|video|" + std::to_string(std::min(500, edge)) + "|" +
                               std::to_string(std::min(500, edge)) + "\n")
          << "one square H.264 stream, no audio";
    } else {
      auto [sq_w, sq_h] = FetchImage("/media/square_thumbnails/" + hash, alice.access);
      EXPECT_EQ(sq_w, std::min(500, edge));
      EXPECT_EQ(sq_h, sq_w);
    }
    for (const char* kind : {"small_square_thumbnails", "square_thumbnails_small"}) {
      auto [small_w, small_h] =
          FetchImage(std::string("/media/") + kind + "/" + hash, alice.access);
      EXPECT_EQ(small_w, std::min(250, edge)) << kind;
      EXPECT_EQ(small_h, small_w) << kind;
    }
    // The original, byte for byte, with its own type.
    HttpResponse original = Http().Get("/media/photos/" + hash, alice.access);
    EXPECT_EQ(original.status, 200);
    EXPECT_EQ(original.Header("Content-Type"), f.mime);
    EXPECT_TRUE(original.body == ReadFile(path_of[hash])) << "original bytes differ";
  }

  // Faces: found on the photo of three people and served as JPEG crops.
  std::string people_hash;
  for (const auto& [hash, f] : by_hash) {
    if (std::string(f.name) == kPeople.name) people_hash = hash;
  }
  Result<std::vector<Row>> faces = QueryCatalog(
      catalog(), "SELECT f.idx FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.hash = '" +
                     people_hash + "' ORDER BY f.idx");
  ASSERT_TRUE(faces.ok()) << faces.status().ToString();
  EXPECT_GE(faces->size(), 1u) << "no face found on " << kPeople.corpus;
  for (const Row& face : *faces) {
    auto [w, h] = FetchImage("/media/faces/" + people_hash + "_" + face[0] + ".jpg", alice.access);
    EXPECT_GT(w, 0);
    EXPECT_LE(w, 256);
    EXPECT_LE(h, 256);
  }
  EXPECT_EQ(Http().Get("/media/faces/" + people_hash + "_99.jpg", alice.access).status, 404);

  // A retry on request reads the unchanged broken file again: a second attempt.
  HttpResponse retry = Http().Post("/api/jobs/retry", nlohmann::json::object(), alice.access);
  EXPECT_EQ(retry.status, 202) << retry.body;
  EXPECT_EQ(retry.Json()["retrying"], 1);
  int attempts = 0;
  for (auto deadline = std::chrono::steady_clock::now() + 60s;
       attempts < 2 && std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(100ms)) {
    nlohmann::json now = Http().Get("/api/jobs", alice.access).Json();
    if (now["failures"]["files"].size() == 1) attempts = now["failures"]["files"][0]["attempts"];
  }
  EXPECT_EQ(attempts, 2) << "POST /api/jobs/retry did not read the broken file again";

  EXPECT_EQ(StopServer(), 0) << "SIGTERM must stop the server cleanly";

  // `tessera scan` trusts the ledger for an unchanged file; --retry-failed reads it again.
  ProcessResult trusted = Tessera({"scan", "--data", data(), "--workers", "2", "--no-faces"});
  EXPECT_EQ(trusted.exit_code, 1) << trusted.err;
  EXPECT_THAT(trusted.err, HasSubstr("(attempts: 2)"));
  // The broken file is in the failure ledger, with a reason, as `tessera scan` reports it.
  ProcessResult rescan =
      Tessera({"scan", "--data", data(), "--workers", "2", "--no-faces", "--retry-failed"});
  EXPECT_THAT(rescan.err, HasSubstr("(attempts: 3)"));
  EXPECT_EQ(rescan.exit_code, 1) << rescan.err;
  // One line naming the file (once) with the reason after it: "tessera: [kind: ]PATH: reason".
  const std::string path = library() + "/broken.jpg";
  const size_t at = rescan.err.find(path);
  ASSERT_NE(at, std::string::npos) << rescan.err;
  const size_t line_start =
      rescan.err.rfind('\n', at) == std::string::npos ? 0 : rescan.err.rfind('\n', at) + 1;
  const std::string line = rescan.err.substr(line_start, rescan.err.find('\n', at) - line_start);
  EXPECT_THAT(line, StartsWith("tessera: "));
  const std::string reason = line.substr(at - line_start + path.size());
  EXPECT_THAT(reason, StartsWith(": "));
  EXPECT_GT(reason.find(" (attempts"), 10u) << "no reason given: " << line;
  for (const LibraryFile& f : files) {
    EXPECT_THAT(rescan.err, ::testing::Not(HasSubstr(f.name))) << "a good file was reported";
  }
}

TEST_F(MediaServerServeTest, MediaAnswersCarryCachingHeadersHeadAndRanges) {
  TESSERA_REQUIRE_CORPUS_FILE(kTagged.corpus);
  TESSERA_REQUIRE_CORPUS_FILE(kClip.corpus);
  const std::string photo_path = AddToLibrary(kTagged.corpus, kTagged.name);
  const std::string clip_path = AddToLibrary(kClip.corpus, kClip.name);
  const std::string hash = B2Sum(photo_path);
  const std::string clip_hash = B2Sum(clip_path);
  ASSERT_TRUE(StartServer());
  const std::string token = CliToken(kOwner);
  ASSERT_TRUE(WaitForIdle(token));

  struct Endpoint {
    std::string url;
    std::string file;  // whose mtime is Last-Modified
  };
  const Endpoint endpoints[] = {
      {"/media/thumbnails_big/" + hash, StoredFile("thumbnails_big", hash)},
      {"/media/square_thumbnails/" + hash, StoredFile("square_thumbnails", hash)},
      {"/media/photos/" + hash, photo_path},
  };
  for (const Endpoint& e : endpoints) {
    SCOPED_TRACE(e.url);
    ASSERT_FALSE(e.file.empty());
    HttpResponse full = Http().Get(e.url, token);
    ASSERT_EQ(full.status, 200) << full.error;
    const std::string etag = full.Header("ETag");
    EXPECT_FALSE(etag.empty());
    EXPECT_EQ(etag.front(), '"') << "a strong entity tag is quoted: " << etag;
    EXPECT_EQ(full.Header("Last-Modified"), HttpDateOf(Stat(e.file).st_mtime));
    EXPECT_THAT(full.Header("Cache-Control"), StartsWith("private, max-age="));
    EXPECT_THAT(full.Header("Vary"), HasSubstr("Authorization"));
    EXPECT_EQ(full.Header("Content-Length"), std::to_string(full.body.size()));

    HttpResponse cached = Http().Send(
        {"GET", e.url, {{"Authorization", "Bearer " + token}, {"If-None-Match", etag}}});
    EXPECT_EQ(cached.status, 304);
    EXPECT_TRUE(cached.body.empty());
    EXPECT_EQ(cached.Header("ETag"), etag);
    EXPECT_THAT(cached.Header("Cache-Control"), StartsWith("private"));

    HttpResponse stale = Http().Send(
        {"GET", e.url, {{"Authorization", "Bearer " + token}, {"If-None-Match", "\"other\""}}});
    EXPECT_EQ(stale.status, 200);
    EXPECT_EQ(stale.body.size(), full.body.size());

    HttpResponse head = Http().Head(e.url, token);
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.Header("Content-Length"), std::to_string(full.body.size()));
    EXPECT_EQ(head.Header("Content-Type"), full.Header("Content-Type"));
    EXPECT_EQ(head.Header("ETag"), etag);
  }
  // The original's entity tag is its content hash: it survives a touch of the file.
  EXPECT_THAT(Http().Get("/media/photos/" + hash, token).Header("ETag"), HasSubstr(hash));

  // Byte ranges on originals.
  const std::string bytes = ReadFile(photo_path);
  const std::string size = std::to_string(bytes.size());
  auto range = [&](const std::string& target, const std::string& spec) {
    return Http().Send({"GET", target, {{"Authorization", "Bearer " + token}, {"Range", spec}}});
  };
  HttpResponse middle = range("/media/photos/" + hash, "bytes=100-199");
  EXPECT_EQ(middle.status, 206);
  EXPECT_EQ(middle.Header("Content-Range"), "bytes 100-199/" + size);
  EXPECT_EQ(middle.Header("Content-Length"), "100");
  EXPECT_EQ(middle.Header("Accept-Ranges"), "bytes");
  EXPECT_TRUE(middle.body == bytes.substr(100, 100));
  HttpResponse suffix = range("/media/photos/" + hash, "bytes=-64");
  EXPECT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.Header("Content-Range"), "bytes " + std::to_string(bytes.size() - 64) + "-" +
                                                std::to_string(bytes.size() - 1) + "/" + size);
  EXPECT_TRUE(suffix.body == bytes.substr(bytes.size() - 64));
  HttpResponse beyond = range("/media/photos/" + hash, "bytes=" + size + "-");
  EXPECT_EQ(beyond.status, 416);
  EXPECT_EQ(beyond.Header("Content-Range"), "bytes */" + size);
  HttpResponse head_range =
      Http().Send({"HEAD",
                   "/media/photos/" + hash,
                   {{"Authorization", "Bearer " + token}, {"Range", "bytes=0-9"}}});
  EXPECT_EQ(head_range.status, 206);
  EXPECT_EQ(head_range.Header("Content-Length"), "10");
  EXPECT_TRUE(head_range.body.empty());

  // A player's first request for the video: everything from 0, as a 206 of the right type.
  const std::string clip = ReadFile(clip_path);
  HttpResponse video = range("/media/photos/" + clip_hash, "bytes=0-");
  EXPECT_EQ(video.status, 206);
  EXPECT_EQ(video.Header("Content-Type"), "video/mp4");
  EXPECT_EQ(video.Header("Content-Range"),
            "bytes 0-" + std::to_string(clip.size() - 1) + "/" + std::to_string(clip.size()));
  EXPECT_TRUE(video.body == clip);
}

}  // namespace
}  // namespace tessera::testing
