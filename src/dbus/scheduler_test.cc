#include "src/dbus/scheduler.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace tessera::dbus {
namespace {

// (handle, file) of the next task of `phase`, or (0, 0) when none waits.
std::pair<uint32_t, size_t> NextOf(Scheduler& s, Phase phase) {
  std::optional<Task> task = s.Next(phase);
  return task ? std::make_pair(task->handle, task->file) : std::make_pair(0u, size_t{0});
}

// Takes and finishes every check, passing each file on to generation.
void CheckAll(Scheduler& s) {
  while (std::optional<Task> task = s.Next(Phase::kCheck)) s.PassToGenerate(*task);
}

TEST(DbusSchedulerTest, ForegroundIsNewestFirstFilesInOrder) {
  Scheduler s;
  s.Add(1, Priority::kForeground, 2);
  s.Add(2, Priority::kForeground, 2);
  EXPECT_EQ(NextOf(s, Phase::kCheck), std::make_pair(2u, size_t{0}));
  EXPECT_EQ(NextOf(s, Phase::kCheck), std::make_pair(2u, size_t{1}));
  s.Add(3, Priority::kForeground, 1);  // the newest request jumps ahead of the older one
  EXPECT_EQ(NextOf(s, Phase::kCheck), std::make_pair(3u, size_t{0}));
  EXPECT_EQ(NextOf(s, Phase::kCheck), std::make_pair(1u, size_t{0}));
  EXPECT_EQ(NextOf(s, Phase::kCheck), std::make_pair(1u, size_t{1}));
  EXPECT_FALSE(s.Next(Phase::kCheck).has_value());
}

TEST(DbusSchedulerTest, BackgroundIsFifoAndWaitsForForeground) {
  Scheduler s;
  s.Add(1, Priority::kBackground, 1);
  s.Add(2, Priority::kBackground, 1);
  s.Add(3, Priority::kForeground, 1);
  EXPECT_EQ(NextOf(s, Phase::kCheck).first, 3u);
  EXPECT_EQ(NextOf(s, Phase::kCheck).first, 1u);
  EXPECT_EQ(NextOf(s, Phase::kCheck).first, 2u);
}

TEST(DbusSchedulerTest, GenerationFollowsTheSameOrderAndChecksNeverWaitForIt) {
  Scheduler s;
  s.Add(1, Priority::kForeground, 2);
  EXPECT_FALSE(s.Next(Phase::kGenerate).has_value()) << "nothing generates before its check";
  CheckAll(s);
  s.Add(2, Priority::kForeground, 1);
  // A decode of request 1 is running; request 2's check is still free to go.
  std::optional<Task> decoding = s.Next(Phase::kGenerate);
  ASSERT_TRUE(decoding);
  EXPECT_EQ(decoding->handle, 1u);
  EXPECT_EQ(NextOf(s, Phase::kCheck), std::make_pair(2u, size_t{0}));
}

TEST(DbusSchedulerTest, FirstTaskOfEachRequestIsMarked) {
  Scheduler s;
  s.Add(7, Priority::kForeground, 2);
  std::optional<Task> a = s.Next(Phase::kCheck);
  std::optional<Task> b = s.Next(Phase::kCheck);
  EXPECT_TRUE(a->first);
  EXPECT_FALSE(b->first);
  s.PassToGenerate(*a);
  EXPECT_FALSE(s.Next(Phase::kGenerate)->first);
}

TEST(DbusSchedulerTest, CompleteOnlyWhenNothingWaitsOrRuns) {
  Scheduler s;
  s.Add(1, Priority::kForeground, 2);
  std::optional<Task> a = s.Next(Phase::kCheck);
  std::optional<Task> b = s.Next(Phase::kCheck);
  EXPECT_FALSE(s.Finish(*a));  // b is still being checked
  EXPECT_FALSE(s.PassToGenerate(*b));
  std::optional<Task> g = s.Next(Phase::kGenerate);
  ASSERT_TRUE(g);
  EXPECT_TRUE(s.IsActive(1));
  EXPECT_TRUE(s.Finish(*g));
  EXPECT_FALSE(s.IsActive(1));
  EXPECT_EQ(s.active(), 0u);
}

TEST(DbusSchedulerTest, DequeueDropsWaitingFilesAndCompletesWhenIdle) {
  Scheduler s;
  s.Add(1, Priority::kForeground, 50);
  std::optional<Scheduler::Dequeued> d = s.Dequeue(1);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->dropped, 50u);
  EXPECT_FALSE(d->started) << "the caller owes it a Started";
  EXPECT_TRUE(d->complete);
  EXPECT_FALSE(s.IsActive(1));
  EXPECT_FALSE(s.Dequeue(1).has_value()) << "a second dequeue finds nothing";
  EXPECT_FALSE(s.Dequeue(99).has_value());
}

TEST(DbusSchedulerTest, DequeueWithFilesInFlightCompletesWithTheLastOne) {
  Scheduler s;
  s.Add(1, Priority::kForeground, 50);
  s.Add(2, Priority::kForeground, 50);
  std::optional<Task> check = s.Next(Phase::kCheck);  // request 2, newest
  ASSERT_EQ(check->handle, 2u);
  s.PassToGenerate(*check);
  std::optional<Task> decoding = s.Next(Phase::kGenerate);
  std::optional<Task> checking = s.Next(Phase::kCheck);
  ASSERT_EQ(decoding->handle, 2u);
  ASSERT_EQ(checking->handle, 2u);

  std::optional<Scheduler::Dequeued> d = s.Dequeue(2);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->dropped, 48u);
  EXPECT_TRUE(d->started);
  EXPECT_FALSE(d->complete);
  // The file being checked is not passed on to a decoder any more.
  EXPECT_FALSE(s.PassToGenerate(*checking));
  EXPECT_EQ(NextOf(s, Phase::kCheck).first, 1u) << "request 1 goes on";
  EXPECT_FALSE(s.Next(Phase::kGenerate).has_value());
  EXPECT_TRUE(s.Finish(*decoding));  // the last one in flight: now complete
  EXPECT_FALSE(s.IsActive(2));
  EXPECT_TRUE(s.IsActive(1));
}

TEST(DbusSchedulerTest, DequeuedWhileItsLastCheckRunsCompletesThroughPassToGenerate) {
  Scheduler s;
  s.Add(1, Priority::kBackground, 1);
  std::optional<Task> check = s.Next(Phase::kCheck);
  EXPECT_FALSE(s.Dequeue(1)->complete);
  EXPECT_TRUE(s.PassToGenerate(*check));
  EXPECT_EQ(s.active(), 0u);
}

}  // namespace
}  // namespace tessera::dbus
