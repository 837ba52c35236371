// The catalog's job queue, faces, avatars and revoked tokens (behaviour every backend shares).
#include <set>
#include <thread>
#include <vector>

#include "src/library/catalog_test_util.h"

namespace tessera::library {
namespace {

using testing::CatalogFixture;
using testing::HashOf;

class CatalogQueueTest : public CatalogFixture {
 protected:
  void SetUp() override {
    CatalogFixture::SetUp();
    if (Stopped()) return;
    owner_ = AddUser("alice");
    auto lib = catalog_->AddLibrary(owner_, "/photos");
    ASSERT_TRUE(lib.ok());
    library_ = *lib;
  }
  int64_t owner_ = 0;
  int64_t library_ = 0;
};

TESSERA_CATALOG_BACKENDS(CatalogQueueTest);

TEST_P(CatalogQueueTest, EnqueueIsIdempotentAndClaimsInOrder) {
  ASSERT_TRUE(catalog_->EnqueueJob(library_, "a.jpg", 1).ok());
  ASSERT_TRUE(catalog_->EnqueueJob(library_, "b.jpg", 1).ok());
  ASSERT_TRUE(catalog_->EnqueueJob(library_, "a.jpg", 1).ok());
  auto counts = catalog_->CountJobs(library_, 1000);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->pending, 2);
  EXPECT_EQ(counts->claimed, 0);

  auto first = catalog_->ClaimJob(library_, "w1", 1000, 60);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->rel_path, "a.jpg");
  EXPECT_EQ((*first)->attempts, 1);
  auto second = catalog_->ClaimJob(std::nullopt, "w2", 1000, 60);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->rel_path, "b.jpg");
  // Both are under a live lease: nothing left to claim.
  auto none = catalog_->ClaimJob(library_, "w3", 1001, 60);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  counts = catalog_->CountJobs(std::nullopt, 1001);
  EXPECT_EQ(counts->pending, 0);
  EXPECT_EQ(counts->claimed, 2);

  ASSERT_TRUE(catalog_->FinishJob((*first)->id).ok());
  ASSERT_TRUE(catalog_->FinishJob((*first)->id).ok());  // idempotent
  counts = catalog_->CountJobs(library_, 1001);
  EXPECT_EQ(counts->claimed, 1);
}

TEST_P(CatalogQueueTest, AJobCarriesTheLatestScanThatQueuedIt) {
  ASSERT_TRUE(catalog_->EnqueueJob(library_, "a.jpg", 500).ok());
  ASSERT_TRUE(catalog_->EnqueueJob(library_, "a.jpg", 700).ok());  // a later scan queues it too
  ASSERT_TRUE(catalog_->EnqueueJob(library_, "a.jpg", 600).ok());  // an older one comes in late
  ASSERT_TRUE(catalog_->EnqueueJob(library_, "b.jpg", 300).ok());
  auto a = catalog_->ClaimJob(std::nullopt, "w1", 1000, 60);
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->rel_path, "a.jpg");
  EXPECT_EQ((*a)->generation, 700);
  auto b = catalog_->ClaimJob(std::nullopt, "w1", 1000, 60);
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->generation, 300);
}

TEST_P(CatalogQueueTest, SeenGenerationsOnlyGoUp) {
  // A worker finishing an old scan's job must not make a file look unseen by the newer scan.
  auto photo = catalog_->UpsertPhoto(owner_, HashOf(1), testing::JpegMeta());
  ASSERT_TRUE(photo.ok());
  ASSERT_TRUE(catalog_->UpsertFile(PhotoFile{library_, "a.jpg", 1, 1, "q", *photo, 700}).ok());
  ASSERT_TRUE(catalog_->MarkSeen(library_, "a.jpg", 500).ok());
  ASSERT_TRUE(catalog_->UpsertFile(PhotoFile{library_, "a.jpg", 2, 2, "r", *photo, 600}).ok());
  auto file = catalog_->FindFile(library_, "a.jpg");
  ASSERT_TRUE(file.ok() && file->has_value());
  EXPECT_EQ((*file)->seen_generation, 700);
  EXPECT_EQ((*file)->size, 2) << "the rest of the row is updated";
  ASSERT_TRUE(catalog_->MarkSeen(library_, "a.jpg", 800).ok());
  EXPECT_EQ((*catalog_->FindFile(library_, "a.jpg"))->seen_generation, 800);
  auto removed = catalog_->RemoveFilesNotSeen(library_, 800);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 0);
}

TEST_P(CatalogQueueTest, AnExpiredLeaseIsClaimedAgainAfterACrash) {
  ASSERT_TRUE(catalog_->EnqueueJob(library_, "a.jpg", 1).ok());
  auto claimed = catalog_->ClaimJob(library_, "crashed-worker", 1000, 30);
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  // The worker dies; the catalog is reopened by a new process.
  Reopen();
  EXPECT_FALSE(catalog_->ClaimJob(library_, "w", 1029, 30)->has_value());
  auto again = catalog_->ClaimJob(library_, "w", 1031, 30);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->rel_path, "a.jpg");
  EXPECT_EQ((*again)->attempts, 2);
  EXPECT_EQ(catalog_->CountJobs(library_, 1031)->claimed, 1);
}

TEST_P(CatalogQueueTest, ARestartedWorkerTakesBackItsClaims) {
  ASSERT_TRUE(catalog_->EnqueueJob(library_, "a.jpg", 1).ok());
  ASSERT_TRUE(catalog_->EnqueueJob(library_, "b.jpg", 1).ok());
  ASSERT_TRUE(catalog_->ClaimJob(library_, "host-a", 1000, 600)->has_value());
  ASSERT_TRUE(catalog_->ClaimJob(library_, "host-b", 1000, 600)->has_value());
  ASSERT_TRUE(catalog_->ReleaseClaims("host-a").ok());
  auto again = catalog_->ClaimJob(library_, "host-a", 1001, 600);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->rel_path, "a.jpg");
  // host-b's live claim was left alone.
  EXPECT_FALSE(catalog_->ClaimJob(library_, "host-a", 1002, 600)->has_value());
}

// Four workers on two connections (two hosts, two threads each) drain the queue: each job is
// claimed exactly once.
TEST_P(CatalogQueueTest, ConcurrentWorkersNeverShareAJob) {
  constexpr int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) {
    ASSERT_TRUE(catalog_->EnqueueJob(library_, "f" + std::to_string(i), 1).ok());
  }
  auto second = store_->Open();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    Catalog* catalog = w % 2 ? second->get() : catalog_.get();
    threads.emplace_back([&, w, catalog] {
      for (;;) {
        auto job = catalog->ClaimJob(library_, "w" + std::to_string(w), 5000, 600);
        ASSERT_TRUE(job.ok()) << job.status().ToString();
        if (!job->has_value()) return;
        got[w].push_back((*job)->rel_path);
        ASSERT_TRUE(catalog->FinishJob((*job)->id).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  size_t total = 0;
  for (const auto& g : got) {
    total += g.size();
    all.insert(g.begin(), g.end());
  }
  EXPECT_EQ(total, static_cast<size_t>(kJobs));
  EXPECT_EQ(all.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(catalog_->CountJobs(library_, 5000)->pending, 0);
}

TEST_P(CatalogQueueTest, JobsOfOneLibraryOrAny) {
  auto other = catalog_->AddLibrary(owner_, "/other");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(catalog_->EnqueueJob(*other, "o.jpg", 1).ok());
  ASSERT_TRUE(catalog_->EnqueueJob(library_, "l.jpg", 1).ok());
  EXPECT_EQ(catalog_->EnqueueJob(9999, "x.jpg", 1).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog_->CountJobs(library_, 1)->pending, 1);
  EXPECT_EQ(catalog_->CountJobs(std::nullopt, 1)->pending, 2);
  auto mine = catalog_->ClaimJob(library_, "w", 1, 10);
  ASSERT_TRUE(mine.ok() && mine->has_value());
  EXPECT_EQ((*mine)->library_id, library_);
  EXPECT_FALSE(catalog_->ClaimJob(library_, "w", 1, 10)->has_value());
  auto any = catalog_->ClaimJob(std::nullopt, "w", 1, 10);
  ASSERT_TRUE(any.ok() && any->has_value());
  EXPECT_EQ((*any)->library_id, *other);
  EXPECT_EQ((*any)->rel_path, "o.jpg");
  // A lease still holds at its last second, and has ended after it.
  EXPECT_EQ(catalog_->CountJobs(std::nullopt, 10)->claimed, 2);
  EXPECT_EQ(catalog_->CountJobs(std::nullopt, 11)->claimed, 2);
  EXPECT_EQ(catalog_->CountJobs(std::nullopt, 12)->pending, 2);
}

TEST_P(CatalogQueueTest, FacesAreReplacedAndOrdered) {
  int64_t photo = AddPhoto(owner_, 1);
  std::vector<Face> faces = {{photo, 1, 50, 60, 70, 80, 0.5}, {photo, 0, 1, 2, 3, 4, 1.5}};
  ASSERT_TRUE(catalog_->ReplaceFaces(photo, faces).ok());
  auto stored = catalog_->FacesOfPhoto(photo);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 2u);
  EXPECT_EQ((*stored)[0].index, 0);
  EXPECT_EQ((*stored)[0].width, 3);
  EXPECT_EQ((*stored)[1].x, 50);
  EXPECT_DOUBLE_EQ((*stored)[1].score, 0.5);
  ASSERT_TRUE(catalog_->ReplaceFaces(photo, {}).ok());
  EXPECT_TRUE(catalog_->FacesOfPhoto(photo)->empty());
  // A duplicate index is refused and the old faces stay.
  ASSERT_TRUE(catalog_->ReplaceFaces(photo, {faces[0]}).ok());
  EXPECT_FALSE(catalog_->ReplaceFaces(photo, {faces[1], faces[1]}).ok());
  ASSERT_EQ(catalog_->FacesOfPhoto(photo)->size(), 1u);
  EXPECT_EQ(catalog_->FacesOfPhoto(photo)->front().x, 50);
  EXPECT_EQ(catalog_->ReplaceFaces(9999, {faces[0]}).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(catalog_->FacesOfPhoto(9999)->empty());
}

TEST_P(CatalogQueueTest, AvatarsAreFoundByHash) {
  int64_t bob = AddUser("bob");
  EXPECT_FALSE(catalog_->FindUserByAvatar(HashOf(7))->has_value());
  EXPECT_FALSE(catalog_->FindUserByAvatar("")->has_value());  // no avatar is not a match
  ASSERT_TRUE(catalog_->SetAvatar(bob, HashOf(7)).ok());
  auto found = catalog_->FindUserByAvatar(HashOf(7));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, bob);
  EXPECT_EQ((*found)->avatar_hash, HashOf(7));
  EXPECT_EQ((*catalog_->FindUserById(bob))->avatar_hash, HashOf(7));
  EXPECT_EQ(catalog_->SetAvatar(9999, HashOf(1)).code(), StatusCode::kNotFound);
}

TEST_P(CatalogQueueTest, RevokedTokensPersistUntilPurged) {
  EXPECT_FALSE(*catalog_->IsTokenRevoked("jti-1"));
  ASSERT_TRUE(catalog_->RevokeToken("jti-1", 2000).ok());
  ASSERT_TRUE(catalog_->RevokeToken("jti-2", 1000).ok());
  Reopen();
  EXPECT_TRUE(*catalog_->IsTokenRevoked("jti-1"));
  EXPECT_EQ(*catalog_->PurgeRevokedTokens(1500), 1);
  EXPECT_FALSE(*catalog_->IsTokenRevoked("jti-2"));
  EXPECT_TRUE(*catalog_->IsTokenRevoked("jti-1"));
}

TEST_P(CatalogQueueTest, TakenAtIsStored) {
  PhotoMeta meta = testing::JpegMeta();
  meta.taken_at = 1'600'000'000;
  auto id = catalog_->UpsertPhoto(owner_, HashOf(3), meta);
  ASSERT_TRUE(id.ok());
  auto photo = catalog_->FindPhotoForViewer(HashOf(3), owner_);
  ASSERT_TRUE(photo.ok() && photo->has_value());
  EXPECT_EQ((*photo)->meta.taken_at, 1'600'000'000);
}

}  // namespace
}  // namespace tessera::library
