// What one media request costs inside the server, without sockets: the router (token check,
// catalog lookups, headers) answering an authenticated cached thumbnail, and its parts.
//   BM_RouterSquare      Router::Handle for /media/square_thumbnails/<hash> with a bearer token
//   BM_TokenVerify       TokenService::Verify of that token (libjwt)
//   BM_FindPhoto         Catalog::FindPhotoForViewer (SQLite)
// Run: tessera_bench --benchmark_filter='Router|Token|FindPhoto'
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "src/core/test_fs.h"
#include "src/library/media_store.h"
#include "src/library/sqlite_catalog.h"
#include "src/server/routes.h"
#include "src/server/tokens.h"

namespace tessera {
namespace {

struct Library {
  Library() {
    catalog = std::move(library::OpenSqliteCatalog(dir / "catalog.db")).value();
    user = *catalog->AddUser(library::User{0, "ann", "", "", ""});
    photo = *catalog->UpsertPhoto(user, hash,
                                  library::PhotoMeta{"image/jpeg", 4000, 3000, 1, 0, "", 0});
    (void)catalog->RecordVariant(
        {photo, "square_thumbnails", "square_thumbnails crop 500x500 jpg q85", 500, 500, 80000});
    (void)store.Put("square_thumbnails", hash, "jpg", std::string(80000, 'x'));
    token = *tokens.Issue(user, server::TokenType::kAccess, 3600);
    router = std::make_unique<server::Router>(*catalog, store, tokens);
  }
  tessera::testing::TempDir dir;
  std::string hash = std::string(64, 'a');
  std::unique_ptr<library::Catalog> catalog;
  library::MediaStore store{dir.path()};
  server::TokenService tokens{std::string(64, 's')};
  int64_t user = 0, photo = 0;
  std::string token;
  std::unique_ptr<server::Router> router;
};

Library& Shared() {
  static Library* library = new Library();
  return *library;
}

void BM_RouterSquare(benchmark::State& state) {
  Library& lib = Shared();
  server::Request request{"GET",
                          "/media/square_thumbnails/" + lib.hash,
                          {{"Authorization", "Bearer " + lib.token}},
                          "",
                          "127.0.0.1"};
  for (auto _ : state) {
    server::Response response = lib.router->Handle(request);
    if (response.status != 200) state.SkipWithError("not 200");
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_RouterSquare)->Unit(benchmark::kMicrosecond);

void BM_TokenVerify(benchmark::State& state) {
  Library& lib = Shared();
  for (auto _ : state) {
    benchmark::DoNotOptimize(lib.tokens.Verify(lib.token, server::TokenType::kAccess));
  }
}
BENCHMARK(BM_TokenVerify)->Unit(benchmark::kMicrosecond);

void BM_FindPhoto(benchmark::State& state) {
  Library& lib = Shared();
  for (auto _ : state)
    benchmark::DoNotOptimize(lib.catalog->FindPhotoForViewer(lib.hash, lib.user));
}
BENCHMARK(BM_FindPhoto)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tessera
