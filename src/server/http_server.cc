// One Session per connection, reading and writing asynchronously on a strand; the Router runs
// on the I/O thread that read the request (its work is a catalog lookup and a stat; the file
// itself is streamed by Beast's file_body).
#include "src/server/http_server.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cassert>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "src/core/unique_fd.h"
#include "src/server/file_cache.h"
#include "src/server/responses.h"

namespace tessera::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::chrono::seconds kIdleTimeout{30};

Request ToRequest(const http::request<http::string_body>& in, std::string remote_address) {
  Request out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  for (const auto& field : in) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = in.body();
  out.remote_address = std::move(remote_address);
  return out;
}

template <class Body>
void CopyHead(const Response& in, unsigned version, bool keep_alive, http::response<Body>& out) {
  out.version(version);
  out.result(static_cast<unsigned>(in.status));
  out.set(http::field::server, "tessera");
  for (const auto& [name, value] : in.headers) out.insert(name, value);
  out.keep_alive(keep_alive);
}

// Reads bytes [first, last] of `path`. Used for partial responses, which Boost 1.74's file_body
// cannot send (it always sends the whole file); the router bounds their length.
std::optional<std::string> ReadSlice(const FileBody& file) {
  UniqueFd fd(open(file.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return std::nullopt;
  std::string bytes(file.range.length(), '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = pread(fd.get(), bytes.data() + done, bytes.size() - done,
                      static_cast<off_t>(file.range.first + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    done += static_cast<size_t>(n);
  }
  return bytes;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Router& router, FileCache& files)
      : stream_(std::move(socket)), router_(router), files_(files) {}

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  void Read() {
    parser_.emplace();
    // Beast checks a Content-Length against the limit as the header completes: start at the
    // upload limit and lower it once the target is known (OnHeader).
    parser_->body_limit(kMaxUploadBytes);
    stream_.expires_after(kIdleTimeout);
    // The header first: its target decides how big a body may be.
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec) return OnRead(ec, 0);
    const auto& header = parser_->get();
    if (!(header.method() == http::verb::put &&
          IsUploadTarget(std::string_view(header.target().data(), header.target().size())))) {
      boost::optional<uint64_t> length = parser_->content_length();
      if (length && *length > kMaxRequestBodyBytes) {
        return Send(ErrorResponse(413), header.version(), /*keep_alive=*/false, /*head=*/false);
      }
      parser_->body_limit(kMaxRequestBodyBytes);  // also bounds a chunked body as it arrives
    }
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream) return Close();
    if (ec == http::error::body_limit) {
      return Send(ErrorResponse(413), 11, /*keep_alive=*/false, /*head=*/false);
    }
    if (ec) return;  // timeouts, resets, malformed requests: drop the connection
    http::request<http::string_body> request = parser_->release();
    beast::error_code ignored;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ignored);
    Response response;
    try {
      response = router_.Handle(ToRequest(request, peer.address().to_string()));
    } catch (const std::exception& e) {
      spdlog::error("http: a route threw: {}", e.what());
      response = ErrorResponse(500);
    }
    Send(std::move(response), request.version(), request.keep_alive(),
         request.method() == http::verb::head);
  }

  void Send(Response response, unsigned version, bool keep_alive, bool head) {
    if (head || response.status == 304 || response.status == 204) {
      http::response<http::empty_body> out;
      CopyHead(response, version, keep_alive, out);
      if (response.head_content_length) out.content_length(*response.head_content_length);
      return Write(std::move(out));
    }
    if (response.file) {
      const FileBody& file = *response.file;
      if (file.range.first == 0 && file.range.length() == file.file_size) {
        // Small files (thumbnails) from memory: one write instead of a read per 4 KiB.
        if (std::shared_ptr<const std::string> data = files_.Get(file.path);
            data && data->size() == file.file_size) {
          http::response<http::span_body<const char>> out;
          CopyHead(response, version, keep_alive, out);
          out.body() = http::span_body<const char>::value_type(data->data(), data->size());
          out.prepare_payload();
          pinned_ = std::move(data);
          return Write(std::move(out));
        }
        http::response<http::file_body> out;
        beast::error_code ec;
        out.body().open(file.path.c_str(), beast::file_mode::scan, ec);
        if (!ec && out.body().size() == file.file_size) {
          CopyHead(response, version, keep_alive, out);
          out.prepare_payload();
          return Write(std::move(out));
        }
        spdlog::warn("http: a file changed or vanished while being served");
        return Send(ErrorResponse(500), version, /*keep_alive=*/false, false);
      }
      std::optional<std::string> slice = ReadSlice(file);
      if (!slice) return Send(ErrorResponse(500), version, /*keep_alive=*/false, false);
      response.body = std::move(*slice);
    }
    http::response<http::string_body> out;
    CopyHead(response, version, keep_alive, out);
    out.body() = std::move(response.body);
    out.prepare_payload();
    Write(std::move(out));
  }

  template <class Body>
  void Write(http::response<Body>&& message) {
    auto owned = std::make_shared<http::response<Body>>(std::move(message));
    pending_ = owned;
    http::async_write(stream_, *owned,
                      [self = shared_from_this(), close = owned->need_eof()](
                          beast::error_code ec, size_t) { self->OnWrite(close, ec); });
  }

  void OnWrite(bool close, beast::error_code ec) {
    pending_.reset();
    pinned_.reset();
    if (ec) return;
    if (close) return Close();
    Read();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  Router& router_;
  FileCache& files_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> pending_;              // the response being written
  std::shared_ptr<const std::string> pinned_;  // the cached bytes it points at
};

}  // namespace

struct HttpServer::Impl {
  Impl(Router& router, std::string address, uint16_t port, int threads)
      : router(router),
        address(std::move(address)),
        port(port),
        thread_count(threads),
        ioc(threads),
        acceptor(net::make_strand(ioc)) {}

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) std::make_shared<Session>(std::move(socket), router, files)->Run();
      Accept();
    });
  }

  void RunIo() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http: I/O thread: {}", e.what());
      }
    }
  }

  Router& router;
  FileCache files{1 << 20, 64 << 20};  // stored files up to 1 MiB, 64 MiB in all
  std::string address;
  uint16_t port;
  int thread_count;
  net::io_context ioc;  // before the acceptor: destroyed after it
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  bool started = false;
};

HttpServer::HttpServer(Router& router, std::string address, uint16_t port, int threads)
    : impl_(std::make_unique<Impl>(router, std::move(address), port, threads)) {
  assert(threads >= 1);
}

HttpServer::~HttpServer() { Stop(); }

Result<uint16_t> HttpServer::Start() {
  assert(!impl_->started);
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(impl_->address, ec);
  if (ec) return Status::InvalidArgument("http: not an IP address: " + impl_->address);
  tcp::endpoint endpoint(address, impl_->port);
  std::string where = impl_->address + ":" + std::to_string(impl_->port);
  if (impl_->acceptor.open(endpoint.protocol(), ec); ec) {
    return Status::IOError("http: open " + where + ": " + ec.message());
  }
  impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (impl_->acceptor.bind(endpoint, ec); ec) {
    return Status::IOError("http: bind " + where + ": " + ec.message());
  }
  if (impl_->acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
    return Status::IOError("http: listen " + where + ": " + ec.message());
  }
  uint16_t bound = impl_->acceptor.local_endpoint().port();
  impl_->started = true;
  impl_->Accept();
  for (int i = 0; i < impl_->thread_count; ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] { impl->RunIo(); });
  }
  return bound;
}

void HttpServer::Stop() {
  if (!impl_->started) return;
  impl_->started = false;
  impl_->ioc.stop();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  // No thread runs the context now, so the acceptor may be touched here; open connections are
  // closed when the context (and the handlers that own their sessions) is destroyed.
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
}

bool IsUploadTarget(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  return path == "/api/user/avatar" || path == "/api/user/avatar/";
}

}  // namespace tessera::server
