// The helper's confinement, applied to itself before it reads any request: resource limits,
// no new privileges, and a seccomp filter that leaves decoding possible and little else.
#ifndef TESSERA_HELPER_SANDBOX_H_
#define TESSERA_HELPER_SANDBOX_H_

#include <cstdint>

#include "tessera/status.h"

namespace tessera::helper {

struct SandboxLimits {
  uint64_t address_space_bytes = 0;  // RLIMIT_AS; 0 leaves it
  int64_t cpu_total_seconds = 0;     // RLIMIT_CPU hard limit over the helper's life; 0 leaves it
};

// Sets RLIMIT_AS, RLIMIT_CPU (hard), RLIMIT_CORE = 0 (a crash dumps no core next to the
// user's files), and closes every descriptor above `keep_fd`.
Status ApplyLimits(const SandboxLimits& limits, int keep_fd);

// PR_SET_NO_NEW_PRIVS, then a seccomp filter (default allow) that refuses:
//   - starting programs or processes: execve, execveat, fork, vfork, clone without
//     CLONE_THREAD (threads stay possible), clone3 (ENOSYS, so libc falls back to clone);
//   - the network and new sockets: socket, socketpair, connect, bind, listen, accept;
//   - changing the file system: open/openat/creat for writing or creating, unlink, rename,
//     mkdir, rmdir, link, symlink, chmod, chown, truncate, utime(n)sat;
//   - touching other processes or the kernel: kill/tgkill of another process, ptrace,
//     process_vm_*, mount, chroot, pivot_root, unshare, setns, bpf, perf_event_open,
//     keyctl, module loading, kexec, io_uring, userfaultfd.
// Reading files stays allowed: the decoders open the file they are given, their plug-ins and
// configuration.
Status ApplySeccomp();

// Sets this request's CPU budget: RLIMIT_CPU's soft limit to the CPU used so far plus
// `seconds` (SIGXCPU ends the helper when it is exceeded).
void SetRequestCpuBudget(int seconds);

}  // namespace tessera::helper

#endif  // TESSERA_HELPER_SANDBOX_H_
