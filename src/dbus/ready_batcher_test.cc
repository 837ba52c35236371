#include "src/dbus/ready_batcher.h"

#include <gtest/gtest.h>

namespace tessera::dbus {
namespace {

using std::chrono::milliseconds;
using Uris = std::vector<std::string>;

TEST(DbusReadyBatcherTest, FullBatchesGoAtOnce) {
  ReadyBatcher b(3, milliseconds(100));
  const auto t0 = ReadyBatcher::Clock::now();
  EXPECT_FALSE(b.Add(1, "a", t0));
  EXPECT_FALSE(b.Add(1, "b", t0));
  auto full = b.Add(1, "c", t0);
  ASSERT_TRUE(full);
  EXPECT_EQ(*full, (Uris{"a", "b", "c"}));
  EXPECT_FALSE(b.NextDue());
}

TEST(DbusReadyBatcherTest, PartialBatchesGoWhenTheirFirstFileWaitedLongEnough) {
  ReadyBatcher b(64, milliseconds(100));
  const auto t0 = ReadyBatcher::Clock::now();
  b.Add(1, "a", t0);
  b.Add(2, "x", t0 + milliseconds(50));
  b.Add(1, "b", t0 + milliseconds(60));
  EXPECT_EQ(b.NextDue(), t0 + milliseconds(100));
  EXPECT_TRUE(b.TakeDue(t0 + milliseconds(99)).empty());
  auto due = b.TakeDue(t0 + milliseconds(100));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].first, 1u);
  EXPECT_EQ(due[0].second, (Uris{"a", "b"}));
  EXPECT_EQ(b.NextDue(), t0 + milliseconds(150));
  due = b.TakeDue(t0 + milliseconds(500));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].first, 2u);
}

TEST(DbusReadyBatcherTest, TakeEmptiesOneRequest) {
  ReadyBatcher b(64, milliseconds(100));
  const auto t0 = ReadyBatcher::Clock::now();
  b.Add(1, "a", t0);
  b.Add(2, "x", t0);
  EXPECT_EQ(b.Take(1), (Uris{"a"}));
  EXPECT_TRUE(b.Take(1).empty());
  EXPECT_EQ(b.Take(2), (Uris{"x"}));
  EXPECT_FALSE(b.NextDue());
}

}  // namespace
}  // namespace tessera::dbus
