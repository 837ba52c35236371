// What only the PostgreSQL catalog has: migrations under an advisory lock, lost connections,
// transactions aborted by the server, the UTF-8 rule for text, passwords kept out of messages.
// The behaviour both backends share is tested in catalog_*_test.cc.
#include "src/library/pg_catalog.h"

#include <atomic>
#include <thread>
#include <vector>

#include "src/library/catalog_test_util.h"
#include "src/library/pg_catalog_impl.h"
#include "src/library/pg_schema.h"

namespace tessera::library {
namespace {

using testing::HashOf;
using testing::JpegMeta;

class PgCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TESSERA_SKIP_WITHOUT_POSTGRES();
    store_ = std::make_unique<testing::PostgresStore>();
  }

  std::unique_ptr<Catalog> Open() {
    auto opened = store_->Open();
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  int64_t SchemaVersionRows() { return store_->CountRows("tessera_schema_version"); }

  std::unique_ptr<testing::PostgresStore> store_;
};

TEST_F(PgCatalogTest, MigratesOnceAndRecordsTheVersion) {
  auto first = Open();
  ASSERT_NE(first, nullptr);
  auto second = Open();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(SchemaVersionRows(), kPgCatalogSchemaVersion);
  auto max =
      store_->Query("SELECT max(version) FROM " + store_->Qualified("tessera_schema_version"));
  EXPECT_EQ(max[0][0].as<int>(), kPgCatalogSchemaVersion);
  // The catalog lives in its own schema, nothing in public.
  EXPECT_EQ(store_->CountRows("users"), 0);
}

TEST_F(PgCatalogTest, HostsOpeningANewCatalogAtOnceMigrateItOnce) {
  constexpr int kHosts = 6;
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  for (int i = 0; i < kHosts; ++i) {
    threads.emplace_back([&] {
      auto catalog = store_->Open();
      EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
      if (catalog.ok()) ++opened;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(opened, kHosts);
  EXPECT_EQ(SchemaVersionRows(), kPgCatalogSchemaVersion);
}

TEST_F(PgCatalogTest, RefusesASchemaFromANewerVersion) {
  ASSERT_NE(Open(), nullptr);
  store_->Query("INSERT INTO " + store_->Qualified("tessera_schema_version") +
                " (version) VALUES (99)");
  auto opened = store_->Open();
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(opened.status().message().find("99"), std::string::npos);
}

// The catalog checks owners in its statements; the schema's trigger holds for any other writer.
TEST_F(PgCatalogTest, TheSchemaRefusesAFileOfAnotherOwner) {
  auto catalog = Open();
  ASSERT_NE(catalog, nullptr);
  int64_t alice = *catalog->AddUser(User{0, "alice", "", ""});
  int64_t bob = *catalog->AddUser(User{0, "bob", "", ""});
  int64_t lib = *catalog->AddLibrary(alice, "/p");
  int64_t bobs = *catalog->UpsertPhoto(bob, HashOf(1), JpegMeta());
  try {
    store_->Query(fmt::format("INSERT INTO {} VALUES ({}, 'x.jpg', 1, 1, 'q', {}, 1)",
                              store_->Qualified("files"), lib, bobs));
    ADD_FAILURE() << "the trigger let a file point at another owner's photo";
  } catch (const pqxx::sql_error& e) {
    EXPECT_EQ(e.sqlstate(), "23514") << e.what();
  }
}

TEST_F(PgCatalogTest, ALostConnectionIsAnIOErrorAndTheNextCallReconnects) {
  auto catalog = Open();
  ASSERT_NE(catalog, nullptr);
  ASSERT_TRUE(catalog->AddUser(User{0, "alice", "", ""}).ok());
  ASSERT_EQ(store_->TerminateConnections(), 1);
  auto lost = catalog->FindUserByName("alice");
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().code(), StatusCode::kIOError) << lost.status().ToString();
  auto found = catalog->FindUserByName("alice");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_TRUE(found->has_value());
  EXPECT_TRUE(catalog->AddUser(User{0, "bob", "", ""}).ok());  // statements are prepared again
}

// A new connection inside a transaction would run the rest of it on its own: the transaction
// fails instead, and the next call after it reconnects.
TEST_F(PgCatalogTest, ALostConnectionFailsTheTransactionWithoutReconnectingInIt) {
  auto catalog = Open();
  ASSERT_NE(catalog, nullptr);
  Status status = catalog->InTransaction([&]() -> Status {
    EXPECT_TRUE(catalog->AddUser(User{0, "alice", "", ""}).ok());
    EXPECT_EQ(store_->TerminateConnections(), 1);
    EXPECT_EQ(catalog->AddUser(User{0, "bob", "", ""}).status().code(), StatusCode::kIOError);
    EXPECT_FALSE(catalog->AddUser(User{0, "carol", "", ""}).ok());
    return Status::Ok();
  });
  EXPECT_EQ(status.code(), StatusCode::kIOError) << status.ToString();
  for (const char* name : {"alice", "bob", "carol"}) {
    auto found = catalog->FindUserByName(name);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_FALSE(found->has_value()) << name;
  }
}

// A row locked by another host for longer than the lock timeout is kIOError (busy). The server
// then aborts the innermost InTransaction: its later calls fail and it rolls back, while the
// enclosing one goes on.
TEST_F(PgCatalogTest, ABusyRowAbortsOnlyTheInnermostTransaction) {
  auto catalog = Open();
  ASSERT_NE(catalog, nullptr);
  int64_t alice = *catalog->AddUser(User{0, "alice", "", ""});
  pqxx::connection other_host(store_->location());
  pqxx::work lock(other_host);
  lock.exec_params("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", alice);

  Status outer = catalog->InTransaction([&]() -> Status {
    TESSERA_RETURN_IF_ERROR(catalog->AddUser(User{0, "carol", "", ""}).status());
    Status inner = catalog->InTransaction([&]() -> Status {
      EXPECT_TRUE(catalog->AddUser(User{0, "dave", "", ""}).ok());
      Status busy = catalog->SetPassword(alice, "h");
      EXPECT_EQ(busy.code(), StatusCode::kIOError) << busy.ToString();
      EXPECT_FALSE(catalog->AddUser(User{0, "erin", "", ""}).ok());
      return Status::Ok();  // ignores the failures: the transaction still cannot commit
    });
    EXPECT_EQ(inner.code(), StatusCode::kIOError) << inner.ToString();
    return catalog->AddUser(User{0, "frank", "", ""}).status();
  });
  lock.abort();
  EXPECT_TRUE(outer.ok()) << outer.ToString();
  EXPECT_TRUE(catalog->FindUserByName("carol")->has_value());
  EXPECT_TRUE(catalog->FindUserByName("frank")->has_value());
  EXPECT_FALSE(catalog->FindUserByName("dave")->has_value());
  EXPECT_FALSE(catalog->FindUserByName("erin")->has_value());
  EXPECT_TRUE(catalog->SetPassword(alice, "h").ok());
}

// TEXT holds valid UTF-8 without NUL bytes: other text is refused when written and matches
// nothing when looked up (libpq would cut a NUL-containing lookup short).
TEST_F(PgCatalogTest, TextMustBeUtf8WithoutNul) {
  auto catalog = Open();
  ASSERT_NE(catalog, nullptr);
  int64_t alice = *catalog->AddUser(User{0, "alice", "", ""});
  const std::string with_nul("alice\0x", 7);
  EXPECT_EQ(catalog->AddUser(User{0, "caf\xe9", "", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog->AddUser(User{0, with_nul, "", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(catalog->FindUserByName(with_nul)->has_value());
  EXPECT_FALSE(catalog->FindUserByName("caf\xe9")->has_value());
  EXPECT_TRUE(catalog->FindUserByName("caf\xc3\xa9 \xf0\x9f\x93\xb7").ok());
  EXPECT_EQ(catalog->RevokeToken(with_nul, 10).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(*catalog->IsTokenRevoked(with_nul));
  EXPECT_EQ(catalog->SetAvatar(alice, "\xff").code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(catalog->FindUserByAvatar("\xff")->has_value());
  int64_t photo = *catalog->UpsertPhoto(alice, HashOf(1), JpegMeta());
  ASSERT_TRUE(catalog->RecordVariant(Variant{photo, "big", "v1", 1, 1, 1}).ok());
  EXPECT_EQ(catalog->RecordVariant(Variant{photo, "big", "v\xff", 1, 1, 1}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog->VariantsWithRecipeOtherThan("big", "v\xff")->size(), 1u);
  EXPECT_FALSE(catalog->FindVariant(photo, "big\xff")->has_value());
  EXPECT_EQ(catalog->ClaimJob(std::nullopt, "w\xff", 0, 1).status().code(),
            StatusCode::kInvalidArgument);
}

// --- Without a server.

TEST(PgCatalogOpenTest, ConnectionFailuresAreIOErrorsThatNeverShowThePassword) {
  for (const std::string conninfo : {
           "postgresql://tessera:pw-s3cret@127.0.0.1:1/photos?connect_timeout=5",
           "postgres://tessera:pw%2Ds3cret@127.0.0.1:1/photos?connect_timeout=5",
           "postgresql://tessera@127.0.0.1:1/photos?password=pw-s3cret&connect_timeout=5",
           "host=127.0.0.1 port=1 user=tessera password = 'pw-s3cret' connect_timeout=5",
       }) {
    auto opened = OpenPostgresCatalog(conninfo);
    ASSERT_FALSE(opened.ok()) << conninfo;
    EXPECT_EQ(opened.status().code(), StatusCode::kIOError) << opened.status().ToString();
    EXPECT_EQ(opened.status().message().find("s3cret"), std::string::npos)
        << opened.status().ToString();
  }
  // libpq quotes the malformed part of a connection string in its message.
  for (const std::string conninfo : {"postgresql://tessera:pw%zzs3cret@127.0.0.1:1/photos",
                                     "host=127.0.0.1 password='pw-s3cret"}) {
    auto opened = OpenPostgresCatalog(conninfo);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().message().find("s3cret"), std::string::npos)
        << opened.status().ToString();
  }
}

TEST(PgSecretsTest, FindsThePasswordInEveryForm) {
  auto scrubbed = [](std::string_view conninfo, std::string text) {
    return PgSecrets::Of(conninfo).Scrub(std::move(text));
  };
  EXPECT_EQ(scrubbed("postgresql://u:p%40ss@h/db", "a p@ss b p%40ss"), "a *** b ***");
  EXPECT_EQ(scrubbed("postgresql://u@h/db?sslmode=require&password=sec", "x sec"), "x ***");
  EXPECT_EQ(scrubbed("postgresql://u:sec@h/db?password=other", "sec other"), "*** ***");
  EXPECT_EQ(scrubbed("postgresql:///db?host=/run", "/run db"), "/run db");  // no password
  EXPECT_EQ(scrubbed("host=h password='it\\'s secret' user=u", "it's secret"), "***");
  EXPECT_EQ(scrubbed("password=plain\\ word", "plain word"), "***");
  EXPECT_EQ(scrubbed("dbname='postgresql://u:nested@h/db'", "nested"), "***");
  EXPECT_EQ(scrubbed("user=u dbname=photos", "user=u dbname=photos"), "user=u dbname=photos");
}

TEST(PgStatusTest, SqlStatesMapToStatusCodes) {
  EXPECT_EQ(PgStatusCodeFor("23505"), StatusCode::kInvalidArgument);  // unique
  EXPECT_EQ(PgStatusCodeFor("23503"), StatusCode::kInvalidArgument);  // foreign key
  EXPECT_EQ(PgStatusCodeFor("23514"), StatusCode::kInvalidArgument);  // check
  EXPECT_EQ(PgStatusCodeFor("P0001"), StatusCode::kInvalidArgument);  // RAISE
  EXPECT_EQ(PgStatusCodeFor("22021"), StatusCode::kInvalidArgument);  // bad encoding
  EXPECT_EQ(PgStatusCodeFor("08006"), StatusCode::kIOError);
  EXPECT_EQ(PgStatusCodeFor("40001"), StatusCode::kIOError);
  EXPECT_EQ(PgStatusCodeFor("40P01"), StatusCode::kIOError);
  EXPECT_EQ(PgStatusCodeFor("53100"), StatusCode::kIOError);  // disk full
  EXPECT_EQ(PgStatusCodeFor("55P03"), StatusCode::kIOError);  // lock_timeout
  EXPECT_EQ(PgStatusCodeFor("57014"), StatusCode::kIOError);  // canceled
  EXPECT_EQ(PgStatusCodeFor("XX001"), StatusCode::kCorrupt);
  EXPECT_EQ(PgStatusCodeFor("42501"), StatusCode::kPermissionDenied);
  EXPECT_EQ(PgStatusCodeFor("42P01"), StatusCode::kInternal);  // no such table
  EXPECT_EQ(PgStatusCodeFor(""), StatusCode::kInternal);
}

TEST(PgTextTest, StorableTextIsUtf8WithoutNul) {
  EXPECT_TRUE(IsStorableText(""));
  EXPECT_TRUE(IsStorableText("plain ascii"));
  EXPECT_TRUE(IsStorableText("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb7"));
  EXPECT_FALSE(IsStorableText(std::string("a\0b", 3)));
  EXPECT_FALSE(IsStorableText("caf\xe9"));           // ISO 8859-1
  EXPECT_FALSE(IsStorableText("\xc3"));              // cut short
  EXPECT_FALSE(IsStorableText("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsStorableText("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(IsStorableText("\xf4\x90\x80\x80"));  // beyond U+10FFFF
}

}  // namespace
}  // namespace tessera::library
