// The transport over real loopback sockets: a Beast client against the server on a free port.
#include "src/server/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "src/server/routes_test_util.h"

namespace tessera::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// One client connection; requests are sent one after another on it (keep-alive).
class Client {
 public:
  explicit Client(uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }

  http::response<http::string_body> Send(http::verb method, const std::string& target,
                                         const std::string& authorization = "",
                                         const std::string& body = "") {
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    if (!authorization.empty()) request.set(http::field::authorization, authorization);
    if (!body.empty()) {
      request.set(http::field::content_type, "application/json");
      request.body() = body;
    }
    request.prepare_payload();
    http::write(socket_, request);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    if (method == http::verb::head) parser.skip(true);
    http::read(socket_, buffer_, parser);
    return parser.release();
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

class HttpServerTest : public testing::MediaLibraryFixture {
 protected:
  void SetUp() override {
    MediaLibraryFixture::SetUp();
    server_ = std::make_unique<HttpServer>(*router_, "127.0.0.1", 0, 2);
    Result<uint16_t> port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
  }
  // The scope guard: the server stops and joins before the fixture's stores go away.
  void TearDown() override { server_.reset(); }

  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
};

TEST_F(HttpServerTest, ServesTheStoredFileToItsOwner) {
  ASSERT_NE(port_, 0);
  Client client(port_);
  auto response = client.Send(http::verb::get, "/media/square_thumbnails/" + Hash(kPrivate),
                              "Bearer " + AccessFor(alice_));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), SquareBytes(kPrivate));
  EXPECT_EQ(response[http::field::content_type], "image/jpeg");
  EXPECT_FALSE(response[http::field::etag].empty());
}

TEST_F(HttpServerTest, AnonymousGetsChallenged) {
  Client client(port_);
  auto response = client.Send(http::verb::get, "/media/square_thumbnails/" + Hash(kPrivate));
  EXPECT_EQ(response.result_int(), 401);
  EXPECT_EQ(response[http::field::www_authenticate], R"(Bearer realm="tessera")");
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Client client(port_);
  std::string auth = "Bearer " + AccessFor(alice_);
  auto first = client.Send(http::verb::get, "/media/thumbnails_big/" + Hash(kShared), auth);
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_TRUE(first.keep_alive());
  EXPECT_EQ(first.body(), BigBytes(kShared));
  auto head = client.Send(http::verb::head, "/media/thumbnails_big/" + Hash(kShared), auth);
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head[http::field::content_length], std::to_string(BigBytes(kShared).size()));
  auto health = client.Send(http::verb::get, "/api/health");
  EXPECT_EQ(health.result_int(), 200);
  EXPECT_EQ(health.body(), R"({"status":"ok"})");
}

// Connections are spread over the server's I/O threads: each one is answered, open at once.
TEST_F(HttpServerTest, EveryConnectionIsAnsweredWhicheverThreadHasIt) {
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(std::make_unique<Client>(port_));
  for (int round = 0; round < 2; ++round) {
    for (auto& client : clients) {
      EXPECT_EQ(client->Send(http::verb::get, "/api/health").result_int(), 200);
    }
  }
}

TEST_F(HttpServerTest, TokensAndOriginalsOverTheWire) {
  Client client(port_);
  auto obtained = client.Send(http::verb::post, "/api/auth/token/obtain/", "",
                              R"({"username":"alice","password":"correct horse"})");
  ASSERT_EQ(obtained.result_int(), 200);
  std::string access = nlohmann::json::parse(obtained.body())["access"];
  auto whole = client.Send(http::verb::get, "/media/photos/" + Hash(kPrivate), "Bearer " + access);
  EXPECT_EQ(whole.body(), OriginalBytes(kPrivate));
}

// More than the socket buffers hold, to a client that waits before reading: the server stops
// when the socket is full and goes on when it drains, ending with the exact bytes.
TEST_F(HttpServerTest, BigFilesReachASlowReaderWhole) {
  std::string big(24 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 131 + i / 4099) & 0xff);
  tessera::testing::WriteFile(originals_[photo_ids_[kPrivate]], big);
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> request{http::verb::get, "/media/photos/" + Hash(kPrivate), 11};
  request.set(http::field::authorization, "Bearer " + AccessFor(alice_));
  http::write(socket, request);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(socket, buffer, parser);
  EXPECT_EQ(parser.get().result_int(), 200);
  EXPECT_EQ(parser.get()[http::field::content_length], std::to_string(big.size()));
  EXPECT_TRUE(parser.get().body() == big);
  // The connection is still good for the next request.
  request.target("/media/square_thumbnails/" + Hash(kPrivate));
  http::write(socket, request);
  http::response<http::string_body> next;
  http::read(socket, buffer, next);
  EXPECT_EQ(next.body(), SquareBytes(kPrivate));
}

// A stored file replaced the way the store does it (rename over it) is sent new at once, even
// though the server keeps descriptors of the files it sends.
TEST_F(HttpServerTest, AReplacedThumbnailIsServedNew) {
  Client client(port_);
  const std::string url = "/media/square_thumbnails/" + Hash(kShared);
  const std::string auth = "Bearer " + AccessFor(alice_);
  EXPECT_EQ(client.Send(http::verb::get, url, auth).body(), SquareBytes(kShared));
  ASSERT_TRUE(store_.Put("square_thumbnails", Hash(kShared), "jpg", "a newer square").ok());
  EXPECT_EQ(client.Send(http::verb::get, url, auth).body(), "a newer square");
}

TEST_F(HttpServerTest, PartialContent) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> request{http::verb::get, "/media/photos/" + Hash(kPublic), 11};
  request.set(http::field::range, "bytes=100-199");
  http::write(socket, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 206);
  EXPECT_EQ(response[http::field::content_range], "bytes 100-199/1000");
  EXPECT_EQ(response.body(), OriginalBytes(kPublic).substr(100, 100));
}

TEST_F(HttpServerTest, OversizedBodiesAreRefused) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  // Only the head is sent: the server refuses on the announced length, before any body.
  std::string head = "POST /api/auth/token/obtain/ HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                     std::to_string(kMaxRequestBodyBytes + 1) + "\r\n\r\n";
  net::write(socket, net::buffer(head));
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_FALSE(response.keep_alive());
}

TEST_F(HttpServerTest, StopsCleanlyWithAConnectionOpen) {
  Client client(port_);
  EXPECT_EQ(client.Send(http::verb::get, "/api/health").result_int(), 200);
  server_->Stop();
  server_->Stop();  // idempotent
  // The port is released: a new connection is refused.
  net::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
  EXPECT_TRUE(ec);
}

TEST(HttpServerStartTest, BadAddressesAreReported) {
  tessera::testing::TempDir dir;
  auto catalog = library::OpenSqliteCatalog(dir / "c.db");
  ASSERT_TRUE(catalog.ok());
  library::MediaStore store(dir.path());
  TokenService tokens(std::string(64, 'k'));
  Router router(**catalog, store, tokens);
  HttpServer server(router, "not-an-address", 0);
  EXPECT_EQ(server.Start().status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tessera::server
