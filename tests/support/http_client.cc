#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <cstring>

namespace tessera::testing {
namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

// Closes the socket on every way out.
class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

int MillisLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

std::string Wire(const HttpRequest& request) {
  std::string wire = request.method + " " + request.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : request.headers) wire += name + ": " + value + "\r\n";
  const bool has_body =
      !request.body.empty() || request.method == "POST" || request.method == "PUT";
  if (has_body) wire += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  wire += "Connection: close\r\n\r\n";
  return wire;
}

// Writes `wire` until done, the peer answers early (readable) or the deadline passes.
// Returns "" or an error. An early answer is not an error: the caller reads it.
std::string WriteWatchingForAnswer(int fd, const std::string& wire, Clock::time_point deadline) {
  size_t done = 0;
  while (done < wire.size()) {
    pollfd p{fd, POLLOUT | POLLIN, 0};
    int n = ::poll(&p, 1, MillisLeft(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return "timed out writing the request";
    if (p.revents & POLLIN) return "";               // answered before the body was all sent
    if (p.revents & (POLLERR | POLLHUP)) return "";  // let the read report what happened
    ssize_t sent = ::send(fd, wire.data() + done, wire.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (sent < 0) return "";  // reset or closed early: the answer, if any, is already here
    done += static_cast<size_t>(sent);
  }
  return "";
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return "";
}

bool HttpResponse::HasHeader(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return true;
    }
  }
  return false;
}

nlohmann::json HttpResponse::Json() const {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

std::string HttpResponse::JsonString(const std::string& key) const {
  nlohmann::json json = Json();
  if (!json.is_object() || !json.contains(key) || !json[key].is_string()) return "";
  return json[key].get<std::string>();
}

std::vector<std::pair<std::string, std::string>> BearerHeader(const std::string& token) {
  if (token.empty()) return {};
  return {{"Authorization", "Bearer " + token}};
}

HttpResponse HttpClient::Send(const HttpRequest& request, std::chrono::milliseconds timeout) const {
  HttpResponse response;
  const Clock::time_point deadline = Clock::now() + timeout;
  Socket socket;
  if (socket.fd() < 0) {
    response.error = std::string("socket: ") + std::strerror(errno);
    return response;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.fd(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    response.error = std::string("connect: ") + std::strerror(errno);
    return response;
  }
  response.error = WriteWatchingForAnswer(socket.fd(), Wire(request) + request.body, deadline);
  if (!response.error.empty()) return response;

  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  parser.eager(true);
  if (request.method == "HEAD") parser.skip(true);
  std::string pending;
  bool need_bytes = true;
  while (!parser.is_done()) {
    if (need_bytes) {
      pollfd p{socket.fd(), POLLIN, 0};
      int n = ::poll(&p, 1, MillisLeft(deadline));
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) {
        response.error = "timed out reading the response";
        return response;
      }
      char buf[65536];
      ssize_t got = ::recv(socket.fd(), buf, sizeof(buf), 0);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        boost::beast::error_code ec;
        parser.put_eof(ec);
        if (ec || !parser.is_done()) {
          response.error = got < 0 ? std::string("recv: ") + std::strerror(errno)
                                   : "connection closed before the response was complete";
          return response;
        }
        break;
      }
      pending.append(buf, static_cast<size_t>(got));
      need_bytes = false;
    }
    boost::beast::error_code ec;
    size_t used = parser.put(boost::asio::buffer(pending), ec);
    pending.erase(0, used);
    if (ec == http::error::need_more) {
      need_bytes = true;
      continue;
    }
    if (ec) {
      response.error = "parse: " + ec.message();
      return response;
    }
    if (pending.empty() || used == 0) need_bytes = true;
  }
  auto message = parser.release();
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(message.body());
  return response;
}

HttpResponse HttpClient::Get(const std::string& target, const std::string& token) const {
  return Send(HttpRequest{"GET", target, BearerHeader(token), ""});
}

HttpResponse HttpClient::Head(const std::string& target, const std::string& token) const {
  return Send(HttpRequest{"HEAD", target, BearerHeader(token), ""});
}

HttpResponse HttpClient::Post(const std::string& target, const nlohmann::json& body,
                              const std::string& token) const {
  HttpRequest request{"POST", target, BearerHeader(token), body.dump()};
  request.headers.emplace_back("Content-Type", "application/json");
  return Send(request);
}

}  // namespace tessera::testing
