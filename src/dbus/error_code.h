// What a client is told about each file: Ready, or Error with one of the specification's codes.
#ifndef TESSERA_DBUS_ERROR_CODE_H_
#define TESSERA_DBUS_ERROR_CODE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "tessera/desktop.h"
#include "tessera/status.h"

namespace tessera::dbus {

// The error codes of org.freedesktop.thumbnails.Thumbnailer1's Error signal.
enum class ErrorCode : int32_t {
  kUnsupported = 0,        // unsupported URI scheme or MIME type
  kConnectionFailed = 1,   // a specialised thumbnailer could not be reached (our decoder helper)
  kInvalidData = 2,        // invalid or corrupt data (also: too large, unreadable, failed before)
  kIsThumbnail = 3,        // the file is itself a thumbnail
  kSaveFailed = 4,         // the thumbnail could not be saved
  kUnsupportedFlavor = 5,  // the flavor asked for is not one of GetFlavors
};

struct FileError {
  ErrorCode code = ErrorCode::kUnsupported;
  std::string message;  // for the Error signal: names the file and says why
};

// One file's answer: Ready when there is no error.
struct FileAnswer {
  std::optional<FileError> error;
  bool ready() const { return !error.has_value(); }
};

// The code for a failure found before the thumbnailer ran (a bad URI, a stat that failed).
FileError ErrorForStatus(const Status& status);

// The answer for what DesktopThumbnailer::Process made of a file.
FileAnswer AnswerFor(const FileResult& result);

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_ERROR_CODE_H_
