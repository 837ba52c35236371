#include "src/helper/sandbox.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace tessera::helper {
namespace {

using SeccompCtx = std::unique_ptr<void, decltype(&seccomp_release)>;

Status SetLimit(int resource, rlim_t soft, rlim_t hard, const char* name) {
  const rlimit limit{soft, hard};
  if (::setrlimit(resource, &limit) != 0) return Status::FromErrno(errno, name);
  return Status::Ok();
}

}  // namespace

Status ApplyLimits(const SandboxLimits& limits, int keep_fd) {
  if (::close_range(static_cast<unsigned>(keep_fd) + 1, ~0U, 0) != 0) {
    return Status::FromErrno(errno, "helper: close_range");
  }
  TESSERA_RETURN_IF_ERROR(SetLimit(RLIMIT_CORE, 0, 0, "helper: RLIMIT_CORE"));
  if (limits.address_space_bytes > 0) {
    TESSERA_RETURN_IF_ERROR(SetLimit(RLIMIT_AS, limits.address_space_bytes,
                                     limits.address_space_bytes, "helper: RLIMIT_AS"));
  }
  if (limits.cpu_total_seconds > 0) {
    const rlim_t total = static_cast<rlim_t>(limits.cpu_total_seconds);
    TESSERA_RETURN_IF_ERROR(SetLimit(RLIMIT_CPU, total, total, "helper: RLIMIT_CPU"));
  }
  return Status::Ok();
}

void SetRequestCpuBudget(int seconds) {
  if (seconds <= 0) return;
  rusage usage;
  rlimit limit;
  if (::getrusage(RUSAGE_SELF, &usage) != 0 || ::getrlimit(RLIMIT_CPU, &limit) != 0) return;
  const rlim_t used = static_cast<rlim_t>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec);
  rlim_t soft = used + static_cast<rlim_t>(seconds) + 1;
  if (limit.rlim_max != RLIM_INFINITY && soft > limit.rlim_max) soft = limit.rlim_max;
  limit.rlim_cur = soft;
  (void)::setrlimit(RLIMIT_CPU, &limit);
}

Status ApplySeccomp() {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return Status::FromErrno(errno, "helper: PR_SET_NO_NEW_PRIVS");
  }
  SeccompCtx ctx(seccomp_init(SCMP_ACT_ALLOW), &seccomp_release);
  if (ctx == nullptr) return Status::Internal("helper: seccomp_init failed");
  int rc = 0;
  auto deny = [&](int err, int syscall) {
    if (rc == 0) rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(err), syscall, 0);
  };
  auto deny_if = [&](int err, int syscall, scmp_arg_cmp cmp) {
    if (rc == 0) rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(err), syscall, 1, cmp);
  };

  // Programs and processes.
  for (int sc : {SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(fork), SCMP_SYS(vfork)})
    deny(EPERM, sc);
  deny_if(EPERM, SCMP_SYS(clone), SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
  deny(ENOSYS, SCMP_SYS(clone3));
  // Network.
  for (int sc : {SCMP_SYS(socket), SCMP_SYS(socketpair), SCMP_SYS(connect), SCMP_SYS(bind),
                 SCMP_SYS(listen), SCMP_SYS(accept), SCMP_SYS(accept4)})
    deny(EPERM, sc);
  // Writing to the file system. open(2) flags are argument 1, openat(2)'s argument 2.
  for (int flag : {O_WRONLY, O_RDWR, O_CREAT, O_TRUNC}) {
    const auto f = static_cast<scmp_datum_t>(flag);
    deny_if(EACCES, SCMP_SYS(open), SCMP_A1(SCMP_CMP_MASKED_EQ, f, f));
    deny_if(EACCES, SCMP_SYS(openat), SCMP_A2(SCMP_CMP_MASKED_EQ, f, f));
  }
  deny(ENOSYS, SCMP_SYS(openat2));  // its flags sit in a struct seccomp cannot read
  for (int sc : {SCMP_SYS(creat),     SCMP_SYS(unlink),    SCMP_SYS(unlinkat), SCMP_SYS(rename),
                 SCMP_SYS(renameat),  SCMP_SYS(renameat2), SCMP_SYS(mkdir),    SCMP_SYS(mkdirat),
                 SCMP_SYS(rmdir),     SCMP_SYS(link),      SCMP_SYS(linkat),   SCMP_SYS(symlink),
                 SCMP_SYS(symlinkat), SCMP_SYS(chmod),     SCMP_SYS(fchmod),   SCMP_SYS(fchmodat),
                 SCMP_SYS(chown),     SCMP_SYS(fchown),    SCMP_SYS(lchown),   SCMP_SYS(fchownat),
                 SCMP_SYS(truncate),  SCMP_SYS(utimensat), SCMP_SYS(utimes),   SCMP_SYS(mknod),
                 SCMP_SYS(mknodat)})
    deny(EACCES, sc);
  // Other processes and the kernel.
  const auto self = static_cast<scmp_datum_t>(::getpid());
  deny_if(EPERM, SCMP_SYS(kill), SCMP_A0(SCMP_CMP_NE, self));
  deny_if(EPERM, SCMP_SYS(tgkill), SCMP_A0(SCMP_CMP_NE, self));
  for (int sc : {SCMP_SYS(ptrace),       SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
                 SCMP_SYS(mount),        SCMP_SYS(umount2),          SCMP_SYS(chroot),
                 SCMP_SYS(pivot_root),   SCMP_SYS(unshare),          SCMP_SYS(setns),
                 SCMP_SYS(bpf),          SCMP_SYS(perf_event_open),  SCMP_SYS(keyctl),
                 SCMP_SYS(add_key),      SCMP_SYS(request_key),      SCMP_SYS(init_module),
                 SCMP_SYS(finit_module), SCMP_SYS(delete_module),    SCMP_SYS(kexec_load),
                 SCMP_SYS(userfaultfd),  SCMP_SYS(io_uring_setup),   SCMP_SYS(tkill),
                 SCMP_SYS(pidfd_open),   SCMP_SYS(pidfd_send_signal)})
    deny(EPERM, sc);
  if (rc != 0) return Status::Internal("helper: seccomp rule failed");
  if (seccomp_load(ctx.get()) != 0) return Status::Internal("helper: seccomp_load failed");
  return Status::Ok();
}

}  // namespace tessera::helper
