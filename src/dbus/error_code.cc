// One place maps tessera's failures onto the specification's six error codes. Clients (Thunar,
// thumbnailer-bridge) only tell "no thumbnail" from "thumbnail", so the message carries the
// detail and the code stays coarse.
#include "src/dbus/error_code.h"

namespace tessera::dbus {

FileError ErrorForStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnsupported:
    case StatusCode::kInvalidArgument:
      return {ErrorCode::kUnsupported, status.message()};
    case StatusCode::kInternal:
      // The engine's own failures are the decoder helper's: it could not be started or reached.
      return {ErrorCode::kConnectionFailed, status.message()};
    case StatusCode::kOk:
    case StatusCode::kNotFound:
    case StatusCode::kCorrupt:
    case StatusCode::kTooLarge:
    case StatusCode::kPermissionDenied:
    case StatusCode::kIOError:
    case StatusCode::kAborted:
      break;
  }
  return {ErrorCode::kInvalidData, status.message()};
}

FileAnswer AnswerFor(const FileResult& result) {
  switch (result.outcome) {
    case Outcome::kGenerated:
    case Outcome::kUpToDate:
      return {};
    case Outcome::kSkipped:
      // Skipped: inside a thumbnail cache (a thumbnail), or not a regular file.
      if (result.status.message().find("inside a thumbnail cache") != std::string::npos) {
        return {FileError{ErrorCode::kIsThumbnail, result.status.message()}};
      }
      return {FileError{ErrorCode::kUnsupported, result.status.message()}};
    case Outcome::kFailedBefore:
      return {FileError{ErrorCode::kInvalidData, result.status.message()}};
    case Outcome::kFailed:
      if (result.store_failed) return {FileError{ErrorCode::kSaveFailed, result.status.message()}};
      return {ErrorForStatus(result.status)};
  }
  return {FileError{ErrorCode::kInvalidData, result.status.message()}};
}

}  // namespace tessera::dbus
