// `tessera dbus-service` on a private session bus, driven by a GDBus client as a file manager
// would drive tumbler: signal order and handles, dequeueing, error codes, the scheduler's
// batching, unicast signals, thumbnails GLib accepts, Cache1's Move/Copy/Delete/Cleanup, the
// idle exit, bus activation and the installed activation files.
#include <dirent.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "src/dbus/names.h"
#include "src/dbus/variant.h"
#include "tessera/image.h"
#include "tessera/xdg.h"
#include "tests/support/dbus_session.h"
#include "tests/support/process.h"

namespace tessera::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;

constexpr const char* kPhoto = "photos/mate__Dune.jpg";
constexpr const char* kTruncated = "bad/truncated-40pct__IMG_20191224_234846.jpg";
constexpr auto kLong = std::chrono::seconds(120);

std::vector<std::string> CorpusPhotos() {
  std::vector<std::string> names;
  if (DIR* dir = opendir(CorpusPath("photos").c_str())) {
    while (dirent* e = readdir(dir)) {
      std::string name = e->d_name;
      if (name.size() > 4 && name.substr(name.size() - 4) == ".jpg") names.push_back(name);
    }
    closedir(dir);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Started first, Finished last, one of each, only Ready and Error between.
void ExpectWellOrdered(const std::vector<ThumbnailSignal>& signals, uint32_t handle) {
  ASSERT_GE(signals.size(), 2u) << "request " << handle;
  EXPECT_EQ(signals.front().name, "Started") << "request " << handle;
  EXPECT_EQ(signals.back().name, "Finished") << "request " << handle;
  for (size_t i = 1; i + 1 < signals.size(); ++i) {
    EXPECT_TRUE(signals[i].name == "Ready" || signals[i].name == "Error")
        << "request " << handle << " signal " << i << ": " << signals[i].name;
  }
}

std::vector<std::string> ReadyUris(const std::vector<ThumbnailSignal>& signals) {
  std::vector<std::string> uris;
  for (const ThumbnailSignal& s : signals) {
    if (s.name == "Ready") uris.insert(uris.end(), s.uris.begin(), s.uris.end());
  }
  return uris;
}

// URI -> error code, for every Error signal.
std::map<std::string, int> ErrorCodes(const std::vector<ThumbnailSignal>& signals) {
  std::map<std::string, int> codes;
  for (const ThumbnailSignal& s : signals) {
    if (s.name != "Error") continue;
    for (const std::string& uri : s.uris) codes[uri] = s.code;
  }
  return codes;
}

using dbus::StringsAt;

GVariant* Strings(const std::vector<std::string>& strings) { return dbus::StringArray(strings); }

class DbusServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = g_main_context_new();
    g_main_context_push_thread_default(context_);
    auto bus = PrivateBus::Start(bus_dir_.path(), {{"XDG_CACHE_HOME", cache_home_.path()}});
    ASSERT_TRUE(bus.ok()) << bus.status().ToString();
    bus_ = std::move(*bus);
    client_ = Connect();
    ASSERT_NE(client_, nullptr);
  }

  void TearDown() override {
    others_.clear();
    client_.reset();
    service_.reset();
    bus_.reset();
    g_main_context_pop_thread_default(context_);
    g_main_context_unref(context_);
  }

  std::unique_ptr<BusClient> Connect() {
    auto client = BusClient::Connect(bus_->address(), context_);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  std::map<std::string, std::string> ServiceEnv() const {
    // The user's own .thumbnailer entries are the test's (none unless it writes some); the
    // system's are those installed here.
    return {{"XDG_CACHE_HOME", cache_home_.path()},
            {"XDG_DATA_HOME", data_home_.path()},
            {"XDG_DATA_DIRS", "/usr/local/share:/usr/share"},
            {"DBUS_SESSION_BUS_ADDRESS", bus_->address()}};
  }

  // Starts `tessera dbus-service` on the private bus and waits until it owns its names.
  void StartService(std::vector<std::string> extra = {}, int idle_timeout = 120) {
    std::vector<std::string> argv = {TesseraBin(), "dbus-service",   "--workers",
                                     "2",          "--idle-timeout", std::to_string(idle_timeout)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto service = ChildProcess::Start(argv, ServiceEnv());
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(*service);
    const bool owned = client_->WaitFor(
        [&] {
          return client_->NameHasOwner(dbus::kThumbnailerName) ||
                 service_->WaitForExit(std::chrono::milliseconds(0)) != -1;
        },
        std::chrono::seconds(30));
    ASSERT_TRUE(owned && client_->NameHasOwner(dbus::kThumbnailerName))
        << "the service did not own its name: " << service_->Stderr();
  }

  Result<std::shared_ptr<GVariant>> CallThumbnailer(BusClient& client, const char* method,
                                                    GVariant* parameters) {
    return client.Call(dbus::kThumbnailerName, dbus::kThumbnailerPath, dbus::kThumbnailerInterface,
                       method, parameters);
  }

  Status CallCache(const char* method, GVariant* parameters) {
    auto reply = client_->Call(dbus::kCacheName, dbus::kCachePath, dbus::kCacheInterface, method,
                               parameters);
    return reply.status();
  }

  uint32_t Queue(const std::vector<std::string>& uris, const std::string& flavor = "large",
                 const std::string& scheduler = "default", uint32_t unqueue = 0,
                 BusClient* client = nullptr) {
    std::vector<std::string> mimes(uris.size(), "image/jpeg");
    auto reply = CallThumbnailer(client ? *client : *client_, "Queue",
                                 g_variant_new("(@as@asssu)", Strings(uris), Strings(mimes),
                                               flavor.c_str(), scheduler.c_str(), unqueue));
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    guint32 handle = 0;
    if (reply.ok()) g_variant_get(reply->get(), "(u)", &handle);
    return handle;
  }

  bool Finished(uint32_t handle, BusClient* client = nullptr) {
    BusClient& c = client ? *client : *client_;
    const auto signals = c.SignalsFor(handle);
    return std::any_of(signals.begin(), signals.end(),
                       [](const ThumbnailSignal& s) { return s.name == "Finished"; });
  }

  void WaitFinished(uint32_t handle) {
    if (handle == 0) {
      ADD_FAILURE() << "no request to wait for";
      return;
    }
    EXPECT_TRUE(client_->WaitFor([&] { return Finished(handle); }, kLong))
        << "request " << handle
        << " never finished; service said: " << (service_ ? service_->Stderr() : bus_->Stderr());
  }

  // A copy of a corpus file in the work folder.
  std::string Copy(const std::string& corpus_file, const std::string& name) {
    const std::string path = work_ / name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    CopyFile(CorpusPath(corpus_file), path);
    return path;
  }

  std::string Thumb(const std::string& path, xdg::ThumbSize size = xdg::ThumbSize::kLarge) {
    return cache_home_.path() + "/thumbnails/" + std::string(xdg::SizeDirName(size)) + "/" +
           xdg::Md5Hex(xdg::CanonicalUri(path)) + ".png";
  }

  bool HasValidThumbnail(const std::string& path, xdg::ThumbSize size = xdg::ThumbSize::kLarge) {
    const xdg::Cache cache(xdg::CacheOptions{.base_dir = cache_home_.path() + "/thumbnails"});
    auto original = xdg::StatOriginal(path);
    return original.ok() && cache.Find(*original, size).state == xdg::LookupState::kValid;
  }

  std::string GioInfo(const std::string& path) {
    ProcessResult r = RunProcess({"gio", "info", "-a", "thumbnail::path,thumbnail::is-valid", path},
                                 {.env = ServiceEnv()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  TempDir bus_dir_;
  TempDir cache_home_;
  TempDir data_home_;
  TempDir work_;
  GMainContext* context_ = nullptr;
  std::unique_ptr<PrivateBus> bus_;
  std::unique_ptr<BusClient> client_;
  std::vector<std::unique_ptr<BusClient>> others_;
  std::unique_ptr<ChildProcess> service_;
};

TEST_F(DbusServiceTest, AnswersTheQueriesAsTumblerDoes) {
  StartService();
  auto flavors = CallThumbnailer(*client_, "GetFlavors", nullptr);
  ASSERT_TRUE(flavors.ok()) << flavors.status().ToString();
  EXPECT_THAT(StringsAt(flavors->get(), 0), ElementsAre("normal", "large", "x-large", "xx-large"));
  auto schedulers = CallThumbnailer(*client_, "GetSchedulers", nullptr);
  ASSERT_TRUE(schedulers.ok());
  EXPECT_THAT(StringsAt(schedulers->get(), 0), ElementsAre("default", "foreground", "background"));
  auto supported = CallThumbnailer(*client_, "GetSupported", nullptr);
  ASSERT_TRUE(supported.ok());
  const std::vector<std::string> schemes = StringsAt(supported->get(), 0);
  const std::vector<std::string> types = StringsAt(supported->get(), 1);
  ASSERT_EQ(schemes.size(), types.size()) << "one scheme per MIME type";
  auto jpeg = std::find(types.begin(), types.end(), "image/jpeg");
  ASSERT_NE(jpeg, types.end());
  EXPECT_EQ(schemes[jpeg - types.begin()], "file");
  EXPECT_NE(std::find(types.begin(), types.end(), "video/mp4"), types.end());
  std::set<std::string> unique(types.begin(), types.end());
  EXPECT_EQ(unique.size(), types.size()) << "each type once";
}

TEST_F(DbusServiceTest, TypesOfOtherInstalledThumbnailersAreSupportedAndServed) {
  // The user's entry for a type nobody else handles, run by the service like any thumbnailer.
  WriteFile(data_home_ / "thumbnailers/plain.thumbnailer",
            "[Thumbnailer Entry]\nExec=/usr/bin/convert -size %sx%s xc:#336699 png:%o\n"
            "MimeType=text/x-tessera-plain;text/plain;\n");
  StartService();
  auto supported = CallThumbnailer(*client_, "GetSupported", nullptr);
  ASSERT_TRUE(supported.ok());
  const std::vector<std::string> types = StringsAt(supported->get(), 1);
  EXPECT_NE(std::find(types.begin(), types.end(), "text/plain"), types.end());
  const std::string notes = work_ / "notes.txt";
  WriteFile(notes, "some words\n");
  const uint32_t handle = Queue({xdg::CanonicalUri(notes)});
  WaitFinished(handle);
  const auto signals = client_->SignalsFor(handle);
  ExpectWellOrdered(signals, handle);
  EXPECT_THAT(ReadyUris(signals), ElementsAre(xdg::CanonicalUri(notes)));
  EXPECT_TRUE(HasValidThumbnail(notes));
  EXPECT_THAT(GioInfo(notes), HasSubstr("thumbnail::is-valid: TRUE"));
}

TEST_F(DbusServiceTest, EveryFileIsAnsweredBetweenStartedAndFinishedHandlesFromOne) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  TESSERA_REQUIRE_CORPUS_FILE(kTruncated);
  StartService();
  const std::string a = Copy(kPhoto, "a photo é.jpg");
  const std::string b = Copy(kPhoto, "b#2.jpg");
  const std::string cut = Copy(kTruncated, "cut.jpg");
  const std::string notes = work_ / "notes.jpg";
  WriteFile(notes, "plain text, whatever the name says\n");
  const std::string missing = work_ / "missing.jpg";
  const std::vector<std::string> uris = {xdg::CanonicalUri(a),       xdg::CanonicalUri(b),
                                         xdg::CanonicalUri(cut),     xdg::CanonicalUri(notes),
                                         "sftp://example.org/x.jpg", xdg::CanonicalUri(missing)};
  const uint32_t first = Queue(uris);
  EXPECT_EQ(first, 1u) << "handles start at 1";
  WaitFinished(first);
  const auto signals = client_->SignalsFor(first);
  ExpectWellOrdered(signals, first);
  EXPECT_THAT(ReadyUris(signals), UnorderedElementsAreArray({uris[0], uris[1]}));
  const std::map<std::string, int> codes = ErrorCodes(signals);
  EXPECT_EQ(codes.size(), 4u);
  EXPECT_EQ(codes.at(uris[2]), 2) << "a truncated JPEG is corrupt data";
  EXPECT_EQ(codes.at(uris[3]), 0) << "text is an unsupported type";
  EXPECT_EQ(codes.at(uris[4]), 0) << "sftp is an unsupported scheme";
  EXPECT_EQ(codes.at(uris[5]), 2) << "a missing file cannot be read";
  for (const ThumbnailSignal& s : signals) {
    if (s.name == "Error") EXPECT_FALSE(s.message.empty());
  }
  EXPECT_TRUE(HasValidThumbnail(a));
  EXPECT_TRUE(HasValidThumbnail(b));

  // Again, with a thumbnail among the files: valid ones are answered from the cache (nothing
  // rewritten), the thumbnail itself gets code 3.
  const struct stat before = Stat(Thumb(a));
  const uint32_t second = Queue({uris[0], uris[1], xdg::CanonicalUri(Thumb(a))});
  EXPECT_EQ(second, 2u);
  WaitFinished(second);
  const auto again = client_->SignalsFor(second);
  ExpectWellOrdered(again, second);
  EXPECT_THAT(ReadyUris(again), UnorderedElementsAreArray({uris[0], uris[1]}));
  EXPECT_EQ(ErrorCodes(again).at(xdg::CanonicalUri(Thumb(a))), 3);
  EXPECT_EQ(Stat(Thumb(a)).st_ino, before.st_ino);
  EXPECT_EQ(Stat(Thumb(a)).st_mtim.tv_nsec, before.st_mtim.tv_nsec);
}

// File names that are not UTF-8 are escaped byte by byte in URIs; the messages naming them
// must still be valid D-Bus strings.
TEST_F(DbusServiceTest, FileNamesThatAreNotUtf8) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  TESSERA_REQUIRE_CORPUS_FILE(kTruncated);
  StartService();
  const std::string good = Copy(kPhoto, "caf\xe9.jpg");
  const std::string bad = Copy(kTruncated, "cass\xe9.jpg");
  const uint32_t handle = Queue({xdg::CanonicalUri(good), xdg::CanonicalUri(bad)});
  WaitFinished(handle);
  const auto signals = client_->SignalsFor(handle);
  ExpectWellOrdered(signals, handle);
  EXPECT_THAT(ReadyUris(signals), ElementsAre(xdg::CanonicalUri(good)));
  EXPECT_EQ(ErrorCodes(signals).at(xdg::CanonicalUri(bad)), 2);
  for (const ThumbnailSignal& s : signals) {
    if (s.name == "Error") EXPECT_THAT(s.message, HasSubstr("cass\xef\xbf\xbd.jpg"));
  }
  EXPECT_THAT(GioInfo(good), HasSubstr("thumbnail::is-valid: TRUE"));
}

TEST_F(DbusServiceTest, DequeuedRequestStopsEarlyAndStillFinishesWhileTheOtherCompletes) {
  TESSERA_REQUIRE_CORPUS_FILE("photos");
  const std::vector<std::string> photos = CorpusPhotos();
  ASSERT_GE(photos.size(), 10u);
  StartService();
  std::vector<std::string> first_paths, first_uris, second_uris;
  for (int i = 0; i < 50; ++i) {
    const std::string& photo = photos[i % photos.size()];
    first_paths.push_back(Copy("photos/" + photo, "first/" + std::to_string(i) + ".jpg"));
    first_uris.push_back(xdg::CanonicalUri(first_paths.back()));
    second_uris.push_back(
        xdg::CanonicalUri(Copy("photos/" + photo, "second/" + std::to_string(i) + ".jpg")));
  }
  const uint32_t first = Queue(first_uris);
  const uint32_t second = Queue(second_uris);
  ASSERT_TRUE(CallThumbnailer(*client_, "Dequeue", g_variant_new("(u)", first)).ok());
  WaitFinished(first);
  WaitFinished(second);

  const auto dequeued = client_->SignalsFor(first);
  ExpectWellOrdered(dequeued, first);
  int made = 0;
  for (const std::string& path : first_paths) made += HasValidThumbnail(path) ? 1 : 0;
  EXPECT_LT(made, 25) << "most files of the dequeued request were not thumbnailed";
  EXPECT_EQ(ReadyUris(dequeued).size(), static_cast<size_t>(made));

  const auto completed = client_->SignalsFor(second);
  ExpectWellOrdered(completed, second);
  EXPECT_THAT(ReadyUris(completed), UnorderedElementsAreArray(second_uris));

  // A Dequeue of a finished or unknown handle is not an error.
  EXPECT_TRUE(CallThumbnailer(*client_, "Dequeue", g_variant_new("(u)", first)).ok());
  EXPECT_TRUE(CallThumbnailer(*client_, "Dequeue", g_variant_new("(u)", 999u)).ok());
}

TEST_F(DbusServiceTest, HandleToUnqueueDropsTheOlderRequestFirst) {
  TESSERA_REQUIRE_CORPUS_FILE("photos");
  const std::vector<std::string> photos = CorpusPhotos();
  StartService();
  std::vector<std::string> old_paths, old_uris;
  for (int i = 0; i < 30; ++i) {
    old_paths.push_back(Copy("photos/" + photos[i % photos.size()], "old/" + std::to_string(i)));
    old_uris.push_back(xdg::CanonicalUri(old_paths.back()));
  }
  const std::string next = Copy(kPhoto, "next.jpg");
  const uint32_t old_handle = Queue(old_uris);
  const uint32_t new_handle = Queue({xdg::CanonicalUri(next)}, "large", "default", old_handle);
  WaitFinished(old_handle);
  WaitFinished(new_handle);
  ExpectWellOrdered(client_->SignalsFor(old_handle), old_handle);
  EXPECT_LT(ReadyUris(client_->SignalsFor(old_handle)).size(), 15u);
  EXPECT_THAT(ReadyUris(client_->SignalsFor(new_handle)), ElementsAre(xdg::CanonicalUri(next)));
}

TEST_F(DbusServiceTest, UnknownFlavorFailsTheWholeRequestWithCodeFive) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  StartService();
  const std::vector<std::string> uris = {xdg::CanonicalUri(Copy(kPhoto, "a.jpg")),
                                         xdg::CanonicalUri(Copy(kPhoto, "b.jpg"))};
  const uint32_t handle = Queue(uris, "xxx-large");
  WaitFinished(handle);
  const auto signals = client_->SignalsFor(handle);
  ASSERT_EQ(signals.size(), 3u);
  EXPECT_EQ(signals[0].name, "Started");
  EXPECT_EQ(signals[1].name, "Error");
  EXPECT_EQ(signals[1].code, 5);
  EXPECT_EQ(signals[1].uris, uris);
  EXPECT_THAT(signals[1].message, HasSubstr("xxx-large"));
  EXPECT_EQ(signals[2].name, "Finished");
  EXPECT_TRUE(FilesUnder(cache_home_.path()).empty()) << "nothing written";
}

TEST_F(DbusServiceTest, ThumbnailsWrittenThroughTheServiceAreValidForGLib) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  StartService();
  const std::string photo = Copy(kPhoto, "été à la plage #1.jpg");
  const uint32_t large = Queue({xdg::CanonicalUri(photo)}, "large");
  const uint32_t normal = Queue({xdg::CanonicalUri(photo)}, "normal");
  WaitFinished(large);
  WaitFinished(normal);
  EXPECT_EQ(ReadyUris(client_->SignalsFor(large)).size(), 1u);
  const std::string info = GioInfo(photo);
  EXPECT_THAT(info, HasSubstr("thumbnail::is-valid: TRUE"));
  EXPECT_THAT(info, HasSubstr("thumbnail::path: " + Thumb(photo)));
  EXPECT_EQ(Stat(Thumb(photo)).st_mode & 0777, 0600u);
  auto image = DecodePng(ReadFile(Thumb(photo, xdg::ThumbSize::kNormal)));
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(std::max(image->width, image->height), 128);
}

TEST_F(DbusServiceTest, BackgroundRequestsBatchTheirReadySignals) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  StartService();
  std::vector<std::string> uris;
  for (int i = 0; i < 20; ++i) {
    uris.push_back(xdg::CanonicalUri(Copy(kPhoto, "p" + std::to_string(i) + ".jpg")));
  }
  // Foreground: a Ready per file as it is done.
  const uint32_t foreground = Queue(uris, "normal", "foreground");
  WaitFinished(foreground);
  size_t ready_signals = 0;
  for (const ThumbnailSignal& s : client_->SignalsFor(foreground)) {
    if (s.name == "Ready") {
      EXPECT_EQ(s.uris.size(), 1u);
      ++ready_signals;
    }
  }
  EXPECT_EQ(ready_signals, 20u);
  // Background, everything up to date: the answers come together.
  const uint32_t background = Queue(uris, "normal", "background");
  WaitFinished(background);
  const auto signals = client_->SignalsFor(background);
  ExpectWellOrdered(signals, background);
  EXPECT_THAT(ReadyUris(signals), UnorderedElementsAreArray(uris));
  EXPECT_LT(signals.size() - 2, 10u) << "far fewer Ready signals than files";
}

TEST_F(DbusServiceTest, SignalsGoToTheCallerOnly) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  StartService();
  others_.push_back(Connect());
  BusClient& bystander = *others_.back();
  const uint32_t handle = Queue({xdg::CanonicalUri(Copy(kPhoto, "a.jpg"))});
  WaitFinished(handle);
  // Give a stray broadcast time to arrive before concluding there was none.
  bystander.WaitFor([] { return false; }, std::chrono::milliseconds(300));
  EXPECT_TRUE(bystander.signals().empty());
}

TEST_F(DbusServiceTest, BroadcastSendsTheSignalsToEveryListener) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  StartService({"--broadcast"});
  others_.push_back(Connect());
  BusClient& listener = *others_.back();
  const uint32_t handle = Queue({xdg::CanonicalUri(Copy(kPhoto, "a.jpg"))});
  WaitFinished(handle);
  EXPECT_TRUE(listener.WaitFor([&] { return Finished(handle, &listener); }, kLong));
  ExpectWellOrdered(listener.SignalsFor(handle), handle);
}

TEST_F(DbusServiceTest, CacheFollowsMovesCopiesAndDeletes) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  StartService();
  const std::string photo = Copy(kPhoto, "before.jpg");
  const uint32_t handle = Queue({xdg::CanonicalUri(photo)}, "large");
  WaitFinished(handle);
  ASSERT_TRUE(Exists(Thumb(photo)));

  // Move: the thumbnail is re-keyed for the new name; the old one is gone.
  const std::string moved = work_ / "after moving é #1.jpg";
  ASSERT_EQ(rename(photo.c_str(), moved.c_str()), 0);
  Status status = CallCache("Move", g_variant_new("(@as@as)", Strings({xdg::CanonicalUri(photo)}),
                                                  Strings({xdg::CanonicalUri(moved)})));
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_FALSE(Exists(Thumb(photo)));
  ASSERT_TRUE(Exists(Thumb(moved)));
  auto keys = ReadPngText(Thumb(moved));
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ((*keys)[0],
            (std::pair<std::string, std::string>{"Thumb::URI", xdg::CanonicalUri(moved)}));
  EXPECT_EQ(Stat(Thumb(moved)).st_mode & 0777, 0600u);
  EXPECT_THAT(GioInfo(moved), HasSubstr("thumbnail::is-valid: TRUE"));

  // Copy: both have one.
  const std::string copy = work_ / "copy.jpg";
  CopyFile(moved, copy);
  status = CallCache("Copy", g_variant_new("(@as@as)", Strings({xdg::CanonicalUri(moved)}),
                                           Strings({xdg::CanonicalUri(copy)})));
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(HasValidThumbnail(moved));
  EXPECT_TRUE(HasValidThumbnail(copy));

  // Delete.
  unlink(copy.c_str());
  status = CallCache("Delete", g_variant_new("(@as)", Strings({xdg::CanonicalUri(copy)})));
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_FALSE(Exists(Thumb(copy)));
  EXPECT_TRUE(Exists(Thumb(moved)));

  // Cleanup below the work folder: only thumbnails of files that are gone.
  const std::string gone = Copy(kPhoto, "gone.jpg");
  WaitFinished(Queue({xdg::CanonicalUri(gone)}));
  ASSERT_TRUE(Exists(Thumb(gone)));
  unlink(gone.c_str());
  status =
      CallCache("Cleanup", g_variant_new("(@asu)", Strings({xdg::CanonicalUri(work_.path())}), 0u));
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_FALSE(Exists(Thumb(gone)));
  EXPECT_TRUE(Exists(Thumb(moved)));

  // Arrays of different lengths are refused.
  EXPECT_FALSE(
      CallCache("Move", g_variant_new("(@as@as)", Strings({"file:///a"}), Strings({}))).ok());
}

TEST_F(DbusServiceTest, ExitsByItselfWhenIdle) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  StartService({}, /*idle_timeout=*/2);
  const uint32_t handle = Queue({xdg::CanonicalUri(Copy(kPhoto, "a.jpg"))});
  WaitFinished(handle);
  EXPECT_EQ(service_->WaitForExit(std::chrono::seconds(20)), 0) << service_->Stderr();
  EXPECT_FALSE(client_->NameHasOwner(dbus::kThumbnailerName));
  EXPECT_FALSE(client_->NameHasOwner(dbus::kCacheName));
}

TEST_F(DbusServiceTest, ASecondInstanceExitsWithAClearError) {
  StartService();
  ProcessResult second =
      RunProcess({TesseraBin(), "dbus-service"}, {.env = ServiceEnv(), .timeout_seconds = 30});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.err, HasSubstr("is owned by another process"));
  EXPECT_TRUE(client_->NameHasOwner(dbus::kThumbnailerName)) << "the first one keeps serving";
}

TEST_F(DbusServiceTest, NoSessionBusIsAClearError) {
  ProcessResult r =
      RunProcess({TesseraBin(), "dbus-service"},
                 {.env = {{"DBUS_SESSION_BUS_ADDRESS", "unix:path=" + work_ / "no-bus"}},
                  .timeout_seconds = 30});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot connect to the session bus"));
}

// The bus starts the service on the first call, and again after it exited when idle.
TEST_F(DbusServiceTest, StartedByBusActivationAndAgainAfterItsIdleExit) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  for (const char* name : {dbus::kThumbnailerName, dbus::kCacheName}) {
    WriteFile(bus_->service_dir() + "/" + name + ".service",
              std::string("[D-BUS Service]\nName=") + name + "\nExec=" + TesseraBin() +
                  " dbus-service --workers 1 --idle-timeout 1\n");
  }
  const std::string photo = Copy(kPhoto, "a.jpg");
  const uint32_t first = Queue({xdg::CanonicalUri(photo)});
  EXPECT_EQ(first, 1u);
  WaitFinished(first);
  EXPECT_TRUE(HasValidThumbnail(photo));
  EXPECT_TRUE(client_->WaitFor([&] { return !client_->NameHasOwner(dbus::kThumbnailerName); },
                               std::chrono::seconds(20)))
      << "the activated service did not exit when idle";
  // A new instance: handles start at 1 again, and the thumbnail is answered from the cache.
  const uint32_t again = Queue({xdg::CanonicalUri(photo)});
  EXPECT_EQ(again, 1u);
  EXPECT_TRUE(client_->WaitFor([&] { return client_->SignalsFor(again).size() >= 3; }, kLong));
  // Cache1 activates the same program.
  EXPECT_TRUE(CallCache("Delete", g_variant_new("(@as)", Strings({xdg::CanonicalUri(photo)}))).ok())
      << bus_->Stderr();
  EXPECT_FALSE(Exists(Thumb(photo)));
}

TEST(DbusServiceInstallTest, InstallPutsTheActivationFilesAndTheUserUnit) {
  TempDir prefix;
  ProcessResult r =
      RunProcess({"cmake", "--install", TESSERA_BUILD_DIR, "--prefix", prefix.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name :
       {"org.freedesktop.thumbnails.Thumbnailer1", "org.freedesktop.thumbnails.Cache1"}) {
    const std::string file = prefix / ("share/dbus-1/services/" + std::string(name) + ".service");
    ASSERT_TRUE(Exists(file)) << file;
    const std::string text = ReadFile(file);
    EXPECT_THAT(text, HasSubstr("[D-BUS Service]"));
    EXPECT_THAT(text, HasSubstr(std::string("Name=") + name + "\n"));
    EXPECT_THAT(text, HasSubstr("Exec=" + prefix.path() + "/bin/tessera dbus-service\n"));
    EXPECT_THAT(text, HasSubstr("SystemdService=tessera-thumbnailer.service"));
  }
  const std::string unit = prefix / "lib/systemd/user/tessera-thumbnailer.service";
  ASSERT_TRUE(Exists(unit));
  const std::string text = ReadFile(unit);
  EXPECT_THAT(text, HasSubstr("Type=dbus"));
  EXPECT_THAT(text, HasSubstr("BusName=org.freedesktop.thumbnails.Thumbnailer1"));
  EXPECT_THAT(text, HasSubstr("ExecStart=" + prefix.path() + "/bin/tessera dbus-service"));
}

}  // namespace
}  // namespace tessera::testing
