#include "src/dbus/work_queue.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace tessera::dbus {
namespace {

// "S1", "R1:a", "E1:b:2", "F1": the events as they were posted.
class Recorder {
 public:
  EventSink Sink() {
    return [this](Event e) {
      std::string s;
      switch (e.kind) {
        case Event::Kind::kStarted:
          s = "S" + std::to_string(e.handle);
          break;
        case Event::Kind::kReady:
          s = "R" + std::to_string(e.handle) + ":" + e.uris.front();
          break;
        case Event::Kind::kError:
          s = "E" + std::to_string(e.handle) + ":" + e.uris.front() + ":" +
              std::to_string(static_cast<int>(e.error.code));
          break;
        case Event::Kind::kFinished:
          s = "F" + std::to_string(e.handle);
          break;
      }
      events.push_back(s);  // under the queue's lock
    };
  }
  std::vector<std::string> events;
};

Request Make(uint32_t handle, std::vector<std::string> uris,
             Priority priority = Priority::kForeground) {
  return Request{handle, priority, xdg::ThumbSize::kNormal, std::move(uris)};
}

FileAnswer Ready() { return {}; }
FileAnswer Failed(ErrorCode code) { return {FileError{code, "why"}}; }

TEST(DbusWorkQueueTest, StartedFirstFinishedLast) {
  Recorder r;
  WorkQueue q(r.Sink());
  q.Add(Make(1, {"a", "b"}));
  std::optional<Job> a = q.Wait(Phase::kCheck);
  std::optional<Job> b = q.Wait(Phase::kCheck);
  q.Answer(*a, Ready());
  q.PassToGenerate(*b);
  std::optional<Job> gb = q.Wait(Phase::kGenerate);
  EXPECT_EQ(gb->uri, "b");
  q.Answer(*gb, Failed(ErrorCode::kInvalidData));
  EXPECT_EQ(r.events, (std::vector<std::string>{"S1", "R1:a", "E1:b:2", "F1"}));
  EXPECT_EQ(q.active(), 0u);
}

TEST(DbusWorkQueueTest, EmptyRequestIsStartedAndFinishedAtOnce) {
  Recorder r;
  WorkQueue q(r.Sink());
  q.Add(Make(4, {}));
  EXPECT_EQ(r.events, (std::vector<std::string>{"S4", "F4"}));
}

TEST(DbusWorkQueueTest, DequeueBeforeAnyWorkStillStartsAndFinishes) {
  Recorder r;
  WorkQueue q(r.Sink());
  q.Add(Make(1, {"a", "b", "c"}));
  EXPECT_TRUE(q.Dequeue(1));
  EXPECT_FALSE(q.Dequeue(1));
  EXPECT_EQ(r.events, (std::vector<std::string>{"S1", "F1"}));
}

TEST(DbusWorkQueueTest, DequeueWaitsForTheFileInFlight) {
  Recorder r;
  WorkQueue q(r.Sink());
  q.Add(Make(1, {"a", "b", "c"}));
  std::optional<Job> a = q.Wait(Phase::kCheck);
  EXPECT_TRUE(q.Dequeue(1));
  EXPECT_EQ(r.events, (std::vector<std::string>{"S1"}));
  q.Answer(*a, Ready());  // reported, then Finished
  EXPECT_EQ(r.events, (std::vector<std::string>{"S1", "R1:a", "F1"}));
}

TEST(DbusWorkQueueTest, WorkersWaitAndStopWakesThem) {
  Recorder r;
  WorkQueue q(r.Sink());
  std::vector<std::string> done;
  std::thread checker([&] {
    while (std::optional<Job> job = q.Wait(Phase::kCheck)) q.PassToGenerate(*job);
  });
  std::thread generator([&] {
    while (std::optional<Job> job = q.Wait(Phase::kGenerate)) {
      done.push_back(job->uri);
      q.Answer(*job, Ready());
    }
  });
  q.Add(Make(1, {"a", "b", "c"}, Priority::kBackground));
  for (int i = 0; i < 500 && q.active() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  q.Stop();
  checker.join();
  generator.join();
  EXPECT_EQ(done, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r.events.front(), "S1");
  EXPECT_EQ(r.events.back(), "F1");
  EXPECT_FALSE(q.Wait(Phase::kCheck).has_value());
}

}  // namespace
}  // namespace tessera::dbus
