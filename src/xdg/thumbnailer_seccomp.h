// The seccomp filter that bubblewrap loads for an external thumbnailer, just before it starts
// the program: what the namespaces already take away (the network, other processes, the
// user's files) stays gone, and the calls that sandboxed programs have used to break out or
// reach the kernel's less-travelled paths are refused.
#ifndef TESSERA_XDG_THUMBNAILER_SECCOMP_H_
#define TESSERA_XDG_THUMBNAILER_SECCOMP_H_

#include <string>

#include "src/core/unique_fd.h"
#include "tessera/status.h"

namespace tessera::xdg {

// The compiled filter (classic BPF, as bwrap's --seccomp reads it), built once per process.
// Default allow, so that a thumbnailer may still be a shell script that starts other programs
// and writes its output; refused, with an error (never a kill, so that failures read clearly):
//   - sockets of any family but AF_UNIX and AF_NETLINK (EAFNOSUPPORT);
//   - new user namespaces and namespace games: clone with CLONE_NEWUSER, clone3 (ENOSYS, so
//     libc falls back to clone), unshare, setns, mount, umount2, pivot_root, chroot;
//   - typing into the terminal (ioctl TIOCSTI, TIOCLINUX);
//   - other processes' memory and the kernel's: ptrace, process_vm_readv/writev,
//     perf_event_open, bpf, userfaultfd, io_uring_setup, keyctl, add_key, request_key,
//     syslog, acct, quotactl, uselib, modify_ldt, module loading, kexec,
//     open_by_handle_at, name_to_handle_at, move_pages, migrate_pages.
// Calls of another ABI (32-bit calls from a 64-bit process) are killed.
Result<std::string> ThumbnailerSeccompProgram();

// A fresh descriptor (a memfd, close-on-exec, read from its start) holding the program.
Result<UniqueFd> ThumbnailerSeccompFd();

}  // namespace tessera::xdg

#endif  // TESSERA_XDG_THUMBNAILER_SECCOMP_H_
