// The transport: an HTTP/1.1 server on Boost.Beast that turns each request into a Request,
// asks the Router and writes the Response (files streamed from disk). Keep-alive; request
// bodies over 1 MiB (uploads: 16 MiB) are refused with 413; idle connections close after 30 s.
//
// Thread safety: Start and Stop are called from one thread. Requests are handled on `threads`
// I/O threads; the router is called from all of them at once.
#ifndef TESSERA_SERVER_HTTP_SERVER_H_
#define TESSERA_SERVER_HTTP_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "src/server/routes.h"
#include "tessera/status.h"

namespace tessera::server {

inline constexpr uint64_t kMaxRequestBodyBytes = 1 << 20;
// Uploads (PUT /api/user/avatar) may be bigger: a phone photo as it comes.
inline constexpr uint64_t kMaxUploadBytes = 16 << 20;

// Whether a PUT to `target` is an upload that may carry up to kMaxUploadBytes.
bool IsUploadTarget(std::string_view target);

class HttpServer {
 public:
  // Listens on `address` (an IP literal, e.g. "127.0.0.1") and `port`; 0 takes any free port.
  // REQUIRES: threads >= 1; `router` outlives the server.
  HttpServer(Router& router, std::string address, uint16_t port, int threads = 1);
  // Stops the server if it runs.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O threads; returns the bound port. Once it returns,
  // connections are accepted. InvalidArgument for a bad address, IOError when the port cannot
  // be bound. REQUIRES: not started.
  Result<uint16_t> Start();

  // Closes the listener and every connection, and joins the I/O threads. Idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::server

#endif  // TESSERA_SERVER_HTTP_SERVER_H_
