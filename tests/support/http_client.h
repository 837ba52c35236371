// A small HTTP/1.1 client for integration tests: one request per loopback connection, the
// response parsed by Boost.Beast's parser. Bodies are written while watching for an early answer,
// so a server that refuses an upload on its announced length (413) is heard, not reset.
#ifndef TESSERA_TESTS_SUPPORT_HTTP_CLIENT_H_
#define TESSERA_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessera::testing {

struct HttpRequest {
  std::string method = "GET";
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // Host and Content-Length are added
  std::string body;
};

struct HttpResponse {
  int status = 0;     // 0: no response (error says why)
  std::string error;  // transport or parse failure
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first value of header `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The body as JSON; a discarded value when it is not JSON.
  nlohmann::json Json() const;
  // The string member `key` of a JSON object body, or "".
  std::string JsonString(const std::string& key) const;
};

// "Bearer <token>" as an Authorization header, or nothing for an empty token.
std::vector<std::pair<std::string, std::string>> BearerHeader(const std::string& token);

class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}

  // Sends `request` on a new connection to 127.0.0.1 and reads the whole answer (no body for
  // HEAD). Never throws; a failure gives status 0 and `error`.
  HttpResponse Send(const HttpRequest& request,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

  HttpResponse Get(const std::string& target, const std::string& token = "") const;
  HttpResponse Head(const std::string& target, const std::string& token = "") const;
  // A JSON body (Content-Type application/json).
  HttpResponse Post(const std::string& target, const nlohmann::json& body,
                    const std::string& token = "") const;

 private:
  uint16_t port_;
};

}  // namespace tessera::testing

#endif  // TESSERA_TESTS_SUPPORT_HTTP_CLIENT_H_
