#include "src/server/file_send.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "src/core/test_fs.h"

namespace tessera::server {
namespace {

// A connected pair of stream sockets; the first is the non-blocking sending end.
struct SocketPair {
  SocketPair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    sender.reset(fds[0]);
    receiver.reset(fds[1]);
    ::fcntl(sender.get(), F_SETFL, ::fcntl(sender.get(), F_GETFL) | O_NONBLOCK);
    ::fcntl(receiver.get(), F_SETFL, ::fcntl(receiver.get(), F_GETFL) | O_NONBLOCK);
  }
  // Everything readable now.
  std::string Drain() {
    std::string out;
    char buffer[65536];
    for (;;) {
      ssize_t n = ::read(receiver.get(), buffer, sizeof(buffer));
      if (n <= 0) return out;
      out.append(buffer, static_cast<size_t>(n));
    }
  }
  UniqueFd sender;
  UniqueFd receiver;
};

std::shared_ptr<const UniqueFd> OpenForReading(const std::string& path) {
  return std::make_shared<const UniqueFd>(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
}

std::string Pattern(size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return out;
}

TEST(FileSendTest, SendsTheHeadThenTheWholeFile) {
  tessera::testing::TempDir dir;
  const std::string content = Pattern(5000);
  tessera::testing::WriteFile(dir / "f", content);
  SocketPair pair;
  FileSend send(OpenForReading(dir / "f"), "HEAD\r\n\r\n", ByteRange{0, content.size() - 1});
  EXPECT_EQ(send.remaining(), 8 + content.size());
  EXPECT_EQ(send.Pump(pair.sender.get()), FileSend::Progress::kDone);
  EXPECT_EQ(send.remaining(), 0u);
  EXPECT_EQ(pair.Drain(), "HEAD\r\n\r\n" + content);
}

TEST(FileSendTest, SendsOnlyTheRange) {
  tessera::testing::TempDir dir;
  const std::string content = Pattern(5000);
  tessera::testing::WriteFile(dir / "f", content);
  SocketPair pair;
  FileSend send(OpenForReading(dir / "f"), "H", ByteRange{1000, 1999});
  EXPECT_EQ(send.Pump(pair.sender.get()), FileSend::Progress::kDone);
  EXPECT_EQ(pair.Drain(), "H" + content.substr(1000, 1000));
}

TEST(FileSendTest, ResumesWhereAFullSocketStopped) {
  tessera::testing::TempDir dir;
  const std::string content = Pattern(4 << 20);  // more than any socket buffer holds
  tessera::testing::WriteFile(dir / "f", content);
  SocketPair pair;
  const std::string head(300, 'h');
  FileSend send(OpenForReading(dir / "f"), head, ByteRange{0, content.size() - 1});
  std::string received;
  int blocked = 0;
  for (int i = 0; i < 100000; ++i) {
    FileSend::Progress progress = send.Pump(pair.sender.get());
    ASSERT_NE(progress, FileSend::Progress::kFailed);
    received += pair.Drain();
    if (progress == FileSend::Progress::kDone) break;
    ++blocked;
  }
  received += pair.Drain();
  EXPECT_GT(blocked, 0);  // it did stop and resume
  ASSERT_EQ(received.size(), head.size() + content.size());
  EXPECT_TRUE(received == head + content);
}

TEST(FileSendTest, FailsWhenThePeerIsGoneOrTheFileShrank) {
  // As the server's I/O threads do: sendfile's SIGPIPE blocked, seen as EPIPE.
  sigset_t pipe, old;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &pipe, &old), 0);
  tessera::testing::TempDir dir;
  const std::string content = Pattern(100000);
  tessera::testing::WriteFile(dir / "f", content);
  {
    SocketPair pair;
    pair.receiver.reset();
    FileSend send(OpenForReading(dir / "f"), "H", ByteRange{0, content.size() - 1});
    EXPECT_EQ(send.Pump(pair.sender.get()), FileSend::Progress::kFailed);
  }
  {
    SocketPair pair;
    FileSend send(OpenForReading(dir / "f"), "H", ByteRange{0, content.size() - 1});
    ASSERT_EQ(::truncate((dir / "f").c_str(), 10), 0);  // cut short after the router's stat
    FileSend::Progress progress = FileSend::Progress::kBlocked;
    for (int i = 0; i < 100 && progress == FileSend::Progress::kBlocked; ++i) {
      progress = send.Pump(pair.sender.get());
      pair.Drain();
    }
    EXPECT_EQ(progress, FileSend::Progress::kFailed);
  }
  // Consume the SIGPIPE left pending, then restore the mask.
  timespec zero{0, 0};
  while (sigtimedwait(&pipe, nullptr, &zero) == SIGPIPE) {
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

}  // namespace
}  // namespace tessera::server
