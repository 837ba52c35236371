// Errors as values. A Status is free on success; a failure carries a code and a message with
// enough context for a user to act on ("decode: /photos/a.jpg: premature end of JPEG data").
// Result<T> holds either a value or a failed Status, shaped like std::expected (absent in g++ 12).
#ifndef TESSERA_STATUS_H_
#define TESSERA_STATUS_H_

#include <cassert>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tessera {

enum class StatusCode {
  kOk = 0,
  kNotFound,          // the file (or thumbnail) does not exist
  kInvalidArgument,   // the caller asked for something meaningless
  kUnsupported,       // a format or feature we do not handle
  kCorrupt,           // the data is broken or truncated
  kTooLarge,          // refused by a limit before decoding
  kPermissionDenied,  // the user may not read or write it
  kIOError,           // the environment failed (disk full, read error): transient
  kInternal,          // a bug or an unexpected library failure
  kAborted,           // stopped on request before it finished
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(StatusCode::kInvalidArgument, std::move(msg));
  }
  static Status Unsupported(std::string msg) {
    return Status(StatusCode::kUnsupported, std::move(msg));
  }
  static Status Corrupt(std::string msg) { return Status(StatusCode::kCorrupt, std::move(msg)); }
  static Status TooLarge(std::string msg) { return Status(StatusCode::kTooLarge, std::move(msg)); }
  static Status PermissionDenied(std::string msg) {
    return Status(StatusCode::kPermissionDenied, std::move(msg));
  }
  static Status IOError(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }
  static Status Aborted(std::string msg) { return Status(StatusCode::kAborted, std::move(msg)); }
  // An IOError (or PermissionDenied for EACCES/EPERM, NotFound for ENOENT) from errno.
  static Status FromErrno(int err, std::string_view context);

  Status(StatusCode code, std::string msg);

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  const std::string& message() const;
  // "corrupt: decode: a.jpg: premature end of JPEG data", or "OK".
  std::string ToString() const;
  // Prefixes the message with context: "context: message". No-op on OK.
  Status WithContext(std::string_view context) const;

  // True when the failure is a property of the original file (it is broken, unsupported or too
  // large), so a failure record may be written. False for environment failures that may pass.
  bool IsPermanentFileFailure() const {
    return code() == StatusCode::kUnsupported || code() == StatusCode::kCorrupt ||
           code() == StatusCode::kTooLarge;
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;  // null means OK; shared so copies are cheap
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit like std::expected
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result needs a value or a failed Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // REQUIRES: !ok() for a meaningful status; returns OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  // REQUIRES: ok()
  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace tessera

#define TESSERA_CONCAT_INNER_(a, b) a##b
#define TESSERA_CONCAT_(a, b) TESSERA_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function if `expr` failed.
#define TESSERA_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::tessera::Status tessera_status_ = (expr);        \
    if (!tessera_status_.ok()) return tessera_status_; \
  } while (0)

// `lhs = *expr` when expr (a Result) succeeded, otherwise returns its Status.
#define TESSERA_ASSIGN_OR_RETURN(lhs, expr) \
  TESSERA_ASSIGN_OR_RETURN_IMPL_(TESSERA_CONCAT_(tessera_result_, __LINE__), lhs, expr)
#define TESSERA_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()

#endif  // TESSERA_STATUS_H_
