// The helper wire: messages survive the trip intact, and a peer that dies, stalls or sends
// garbage is reported as such instead of blocking or allocating without bound.
#include "src/isolate/protocol.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <thread>

#include "src/core/unique_fd.h"

namespace tessera::isolate {
namespace {

struct Pair {
  UniqueFd a, b;
};

Pair MakePair() {
  int fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  return Pair{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

TEST(ProtocolTest, HeaderAndBlobsRoundTrip) {
  Pair p = MakePair();
  Message out;
  out.header = {{"op", "thumbnail"}, {"path", "/tmp/a b.mp4"}, {"n", 3}};
  out.blobs = {std::string(3 << 20, '\x7f'), "", std::string("\0\1\2", 3)};
  // A 3 MiB blob does not fit in the socket buffer: send from another thread.
  std::thread writer([&] { EXPECT_TRUE(SendMessage(p.a.get(), out).ok()); });
  Received in = ReceiveMessage(p.b.get(), std::nullopt);
  writer.join();
  ASSERT_EQ(in.state, Received::State::kOk) << in.error;
  EXPECT_EQ(in.message.header, out.header);
  EXPECT_EQ(in.message.blobs, out.blobs);
}

TEST(ProtocolTest, SilentPeerTimesOut) {
  Pair p = MakePair();
  const auto start = std::chrono::steady_clock::now();
  Received in = ReceiveMessage(p.b.get(), start + std::chrono::milliseconds(200));
  EXPECT_EQ(in.state, Received::State::kTimedOut);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(190));
}

TEST(ProtocolTest, ClosedPeerIsClosedEvenMidMessage) {
  Pair p = MakePair();
  p.a.reset();
  EXPECT_EQ(ReceiveMessage(p.b.get(), std::nullopt).state, Received::State::kClosed);

  Pair q = MakePair();
  const uint32_t prefix[2] = {100, 0};  // promises a 100-byte header, sends 3
  ASSERT_EQ(::send(q.a.get(), prefix, sizeof prefix, 0), 8);
  ASSERT_EQ(::send(q.a.get(), "{\"a", 3, 0), 3);
  q.a.reset();
  EXPECT_EQ(ReceiveMessage(q.b.get(), std::nullopt).state, Received::State::kClosed);
}

TEST(ProtocolTest, AbsurdFramingIsRefusedBeforeAllocating) {
  Pair p = MakePair();
  const uint32_t prefix[2] = {0xFFFFFFF0u, 0};
  ASSERT_EQ(::send(p.a.get(), prefix, sizeof prefix, 0), 8);
  Received in = ReceiveMessage(p.b.get(), std::nullopt);
  EXPECT_EQ(in.state, Received::State::kBroken);

  Pair q = MakePair();
  const uint32_t one_blob[2] = {2, 1};
  const uint64_t huge = 1ull << 40;
  ASSERT_EQ(::send(q.a.get(), one_blob, sizeof one_blob, 0), 8);
  ASSERT_EQ(::send(q.a.get(), &huge, sizeof huge, 0), 8);
  EXPECT_EQ(ReceiveMessage(q.b.get(), std::nullopt).state, Received::State::kBroken);
}

TEST(ProtocolTest, HeaderThatIsNotJsonIsBroken) {
  Pair p = MakePair();
  const uint32_t prefix[2] = {5, 0};
  ASSERT_EQ(::send(p.a.get(), prefix, sizeof prefix, 0), 8);
  ASSERT_EQ(::send(p.a.get(), "nope!", 5, 0), 5);
  Received in = ReceiveMessage(p.b.get(), std::nullopt);
  EXPECT_EQ(in.state, Received::State::kBroken);
  EXPECT_NE(in.error.find("JSON"), std::string::npos);
}

TEST(ProtocolTest, SendingToAGonePeerFailsWithoutSigpipe) {
  Pair p = MakePair();
  p.b.reset();
  Message m;
  m.blobs = {std::string(1 << 20, 'x')};
  EXPECT_EQ(SendMessage(p.a.get(), m).code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace tessera::isolate
