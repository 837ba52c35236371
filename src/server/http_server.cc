// One Session per connection, reading and writing asynchronously on its thread; the Router runs
// on the I/O thread that read the request (its work is a catalog lookup and a stat). A file
// body goes out with sendfile(2) (FileSend) after a head serialized by Beast.
#include "src/server/http_server.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cassert>
#include <chrono>
#include <csignal>
#include <optional>
#include <thread>
#include <vector>

#include "src/server/file_send.h"
#include "src/server/open_files.h"
#include "src/server/responses.h"

namespace tessera::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
// One io_context per I/O thread, each connection on one of them for its life (as nginx's
// workers): no strands, no handler crosses threads, and the concrete executor type avoids the
// type-erased default's indirection on every handler.
using Executor = net::io_context::executor_type;
using Socket = tcp::socket::rebind_executor<Executor>::other;
using Stream = beast::basic_stream<tcp, Executor>;
using Timer = net::basic_waitable_timer<std::chrono::steady_clock,
                                        net::wait_traits<std::chrono::steady_clock>, Executor>;

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

// The head of `message` as it goes on the wire, serialized by Beast.
std::string SerializeHead(const http::response<http::empty_body>& message) {
  http::response_serializer<http::empty_body> serializer(message);
  std::string head;
  beast::error_code ec;
  while (!ec && !serializer.is_done()) {
    serializer.next(ec, [&](beast::error_code&, const auto& buffers) {
      head += beast::buffers_to_string(buffers);
      serializer.consume(beast::buffer_bytes(buffers));
    });
  }
  return head;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, Router& router, OpenFiles& files)
      : stream_(std::move(socket)),
        send_timer_(stream_.get_executor()),
        router_(router),
        files_(files) {}

  void Run() {
    beast::error_code ec;
    // Once per connection: the address the login limiter counts by.
    peer_address_ = stream_.socket().remote_endpoint(ec).address().to_string();
    // A response's last segment leaves at once, not after the client's delayed ACK (Nagle's
    // algorithm would hold it: up to 40 ms on Linux).
    stream_.socket().set_option(tcp::no_delay(true), ec);
    // File bodies are sent with sendfile(2) on the raw socket, which must not block.
    stream_.socket().native_non_blocking(true, ec);
    if (ec) return;
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
    Response response;
    try {
      response = router_.Handle(ToRequest(request, peer_address_));
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
    if (response.file) return SendFile(response, version, keep_alive);
    http::response<http::string_body> out;
    CopyHead(response, version, keep_alive, out);
    out.body() = std::move(response.body);
    out.prepare_payload();
    Write(std::move(out));
  }

  // The head, then the file's bytes straight from the page cache (FileSend).
  void SendFile(const Response& response, unsigned version, bool keep_alive) {
    const FileBody& file = *response.file;
    http::response<http::empty_body> out;
    CopyHead(response, version, keep_alive, out);
    out.content_length(file.range.length());
    Result<std::shared_ptr<const UniqueFd>> fd = files_.Open(file);
    if (!fd.ok()) {
      spdlog::warn("http: a file changed or vanished while being served");
      return Send(ErrorResponse(500), version, /*keep_alive=*/false, false);
    }
    sending_.emplace(std::move(*fd), SerializeHead(out), file.range);
    close_after_send_ = out.need_eof();
    PumpFile();
  }

  void PumpFile() {
    switch (sending_->Pump(stream_.socket().native_handle())) {
      case FileSend::Progress::kDone:
        sending_.reset();
        return OnWrite(close_after_send_, {});
      case FileSend::Progress::kFailed:
        sending_.reset();
        return;  // the peer is gone, or the file shrank: drop the connection
      case FileSend::Progress::kBlocked:
        break;
    }
    // A reader that stops reading for kIdleTimeout loses the connection.
    send_timer_.expires_after(kIdleTimeout);
    send_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) {
        beast::error_code ignored;
        self->stream_.socket().cancel(ignored);
      }
    });
    stream_.socket().async_wait(Socket::wait_write,
                                [self = shared_from_this()](beast::error_code ec) {
                                  self->send_timer_.cancel();
                                  if (ec) {
                                    self->sending_.reset();
                                    return;
                                  }
                                  self->PumpFile();
                                });
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
    if (ec) return;
    if (close) return Close();
    Read();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  Stream stream_;
  Timer send_timer_;  // bounds the wait for a full socket while sending a file
  beast::flat_buffer buffer_;
  Router& router_;
  OpenFiles& files_;
  std::string peer_address_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> pending_;    // the response being written by Beast
  std::optional<FileSend> sending_;  // the file response being sent
  bool close_after_send_ = false;
};

}  // namespace

struct HttpServer::Impl {
  Impl(Router& router, std::string address, uint16_t port, int threads)
      : router(router),
        address(std::move(address)),
        port(port),
        contexts(MakeContexts(threads)),
        acceptor(contexts.front()->get_executor()) {
    // A context with no connection yet must not return from run() at once.
    for (auto& context : contexts) busy.push_back(net::make_work_guard(*context));
  }

  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(int threads) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (int i = 0; i < threads; ++i) out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }

  // Runs on the first context's thread; new connections go to the contexts in turn.
  void Accept() {
    net::io_context& target = *contexts[next_context++ % contexts.size()];
    acceptor.async_accept(target.get_executor(), [this](beast::error_code ec, Socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) std::make_shared<Session>(std::move(socket), router, files)->Run();
      Accept();
    });
  }

  void RunIo(net::io_context& ioc) {
    // sendfile(2) to a closed connection raises SIGPIPE in the thread that called it, and has
    // no flag against it: blocked here, it becomes the EPIPE that FileSend handles.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
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
  OpenFiles files{128, 1 << 20};  // thumbnails' descriptors, kept open
  std::string address;
  uint16_t port;
  // Before the acceptor and after `files`: destroyed after the one, before the other.
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<net::executor_work_guard<Executor>> busy;  // one per context, until Stop
  tcp::acceptor acceptor;
  size_t next_context = 0;
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
  for (auto& context : impl_->contexts) {
    impl_->threads.emplace_back([impl = impl_.get(), ioc = context.get()] { impl->RunIo(*ioc); });
  }
  return bound;
}

void HttpServer::Stop() {
  if (!impl_->started) return;
  impl_->started = false;
  impl_->busy.clear();
  for (auto& context : impl_->contexts) context->stop();
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
