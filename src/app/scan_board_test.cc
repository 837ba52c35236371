#include "src/app/scan_board.h"

#include <gtest/gtest.h>

namespace tessera::app {
namespace {

TEST(ScanBoardTest, RateEtaAndJsonPerOwner) {
  auto now = std::chrono::steady_clock::time_point{};
  ScanBoard board([&] { return now; });
  board.Started(library::Library{7, 1, "/photos/ann"});
  board.Started(library::Library{8, 2, "/photos/bob"});
  now += std::chrono::seconds(10);
  board.Progressed(7, library::ScanProgress{20, 100, "a.jpg", false, ""});
  board.Progressed(7, library::ScanProgress{21, 100, "bad.jpg", true, "bad.jpg: corrupt"});
  auto state = board.State(7);
  ASSERT_TRUE(state.has_value());
  EXPECT_DOUBLE_EQ(state->rate, 2.1);
  ASSERT_TRUE(state->eta_seconds.has_value());
  EXPECT_NEAR(*state->eta_seconds, 79 / 2.1, 1e-9);
  EXPECT_EQ(state->failed, 1);
  EXPECT_EQ(board.Line(7),
            "scan /photos/ann: 21/100 files, 2.1 files/s, about 38 s left, 1 failed");

  nlohmann::json ann = board.JsonFor(1);
  ASSERT_EQ(ann["scans"].size(), 1u);
  EXPECT_EQ(ann["scans"][0]["library"], "/photos/ann");
  EXPECT_EQ(ann["scans"][0]["state"], "running");
  EXPECT_EQ(ann["scans"][0]["files_done"], 21);
  EXPECT_EQ(board.JsonFor(3)["scans"].size(), 0u);  // nobody else's scans

  library::ScanReport report;
  report.files_seen = 100;
  report.seconds = 12;
  report.queued = 60;
  board.Finished(7, report);
  nlohmann::json done = board.JsonFor(1)["scans"][0];
  EXPECT_EQ(done["state"], "idle");
  EXPECT_TRUE(done["eta_seconds"].is_null());
  EXPECT_EQ(done["last_scan"]["files_seen"], 100);
  EXPECT_DOUBLE_EQ(done["rate"].get<double>(), 5.0);
  board.Finished(8, Status::IOError("disk gone"));
  EXPECT_EQ(board.JsonFor(2)["scans"][0]["state"], "stopped");
}

}  // namespace
}  // namespace tessera::app
