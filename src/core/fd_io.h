// Whole reads and writes on a file descriptor, retried across EINTR and short transfers.
#ifndef TESSERA_CORE_FD_IO_H_
#define TESSERA_CORE_FD_IO_H_

#include <string>
#include <string_view>

#include "tessera/status.h"

namespace tessera {

// Writes every byte of `bytes` to `fd`. Errors carry `context` (say, the file's name).
Status WriteAll(int fd, std::string_view bytes, std::string_view context);

// Reads from `fd`'s current position to its end. Errors carry `context`.
Result<std::string> ReadToEnd(int fd, std::string_view context);

}  // namespace tessera

#endif  // TESSERA_CORE_FD_IO_H_
