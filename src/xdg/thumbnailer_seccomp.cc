#include "src/xdg/thumbnailer_seccomp.h"

#include <linux/sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "src/core/fd_io.h"

namespace tessera::xdg {
namespace {

using SeccompCtx = std::unique_ptr<void, decltype(&seccomp_release)>;

Result<std::string> Build() {
  SeccompCtx ctx(seccomp_init(SCMP_ACT_ALLOW), &seccomp_release);
  if (ctx == nullptr) return Status::Internal("seccomp: seccomp_init failed");
  // Another ABI's calls (int 0x80 from x86-64) would pass a filter written for this one.
  if (seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) != 0) {
    return Status::Internal("seccomp: cannot set the action for other ABIs");
  }
  int rc = 0;
  const char* failed = nullptr;
  auto add = [&](int err, int syscall, unsigned count, const scmp_arg_cmp* cmp, const char* name) {
    if (rc != 0) return;
    rc = seccomp_rule_add_array(ctx.get(), SCMP_ACT_ERRNO(err), syscall, count, cmp);
    if (rc != 0) failed = name;
  };
  auto deny = [&](int err, int syscall, const char* name) { add(err, syscall, 0, nullptr, name); };
  auto deny_if = [&](int err, int syscall, scmp_arg_cmp cmp, const char* name) {
    add(err, syscall, 1, &cmp, name);
  };

  // Sockets: local ones only (the network namespace has no way out anyway).
  // Two comparisons of one argument cannot share a rule, so the refused families are the
  // ranges below, between and above the two allowed ones.
  static_assert(AF_UNIX < AF_NETLINK);
  deny_if(EAFNOSUPPORT, SCMP_SYS(socket), SCMP_A0(SCMP_CMP_LT, AF_UNIX), "socket");
  deny_if(EAFNOSUPPORT, SCMP_SYS(socket), SCMP_A0(SCMP_CMP_GT, AF_NETLINK), "socket");
  for (int family = AF_UNIX + 1; family < AF_NETLINK; ++family) {
    deny_if(EAFNOSUPPORT, SCMP_SYS(socket), SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(family)),
            "socket");
  }
  // Namespaces.
  deny_if(EPERM, SCMP_SYS(clone),
          SCMP_A0(SCMP_CMP_MASKED_EQ, static_cast<scmp_datum_t>(CLONE_NEWUSER),
                  static_cast<scmp_datum_t>(CLONE_NEWUSER)),
          "clone");
  deny(ENOSYS, SCMP_SYS(clone3), "clone3");  // its flags sit in a struct seccomp cannot read
  for (int sc : {SCMP_SYS(unshare), SCMP_SYS(setns), SCMP_SYS(mount), SCMP_SYS(umount2),
                 SCMP_SYS(pivot_root), SCMP_SYS(chroot)}) {
    deny(EPERM, sc, "namespaces");
  }
  // The terminal.
  for (unsigned long request :
       {static_cast<unsigned long>(TIOCSTI), static_cast<unsigned long>(TIOCLINUX)}) {
    deny_if(EPERM, SCMP_SYS(ioctl), SCMP_A1(SCMP_CMP_MASKED_EQ, 0xFFFFFFFFu, request), "ioctl");
  }
  // Other processes and the kernel.
  for (int sc : {SCMP_SYS(ptrace),
                 SCMP_SYS(process_vm_readv),
                 SCMP_SYS(process_vm_writev),
                 SCMP_SYS(perf_event_open),
                 SCMP_SYS(bpf),
                 SCMP_SYS(userfaultfd),
                 SCMP_SYS(io_uring_setup),
                 SCMP_SYS(keyctl),
                 SCMP_SYS(add_key),
                 SCMP_SYS(request_key),
                 SCMP_SYS(syslog),
                 SCMP_SYS(acct),
                 SCMP_SYS(quotactl),
                 SCMP_SYS(uselib),
                 SCMP_SYS(modify_ldt),
                 SCMP_SYS(init_module),
                 SCMP_SYS(finit_module),
                 SCMP_SYS(delete_module),
                 SCMP_SYS(kexec_load),
                 SCMP_SYS(kexec_file_load),
                 SCMP_SYS(open_by_handle_at),
                 SCMP_SYS(name_to_handle_at),
                 SCMP_SYS(move_pages),
                 SCMP_SYS(migrate_pages)}) {
    // A call this architecture lacks (modify_ldt off x86) is a negative pseudo-number that
    // libseccomp may refuse to place: skip it rather than fail the whole filter.
    if (sc < 0) continue;
    deny(EPERM, sc, "kernel");
  }
  if (rc != 0) {
    return Status::Internal(std::string("seccomp: cannot add the rule for ") + failed);
  }
  UniqueFd out(::memfd_create("tessera-seccomp-build", MFD_CLOEXEC));
  if (!out.valid()) return Status::FromErrno(errno, "seccomp: memfd_create");
  if (seccomp_export_bpf(ctx.get(), out.get()) != 0) {
    return Status::Internal("seccomp: cannot export the filter");
  }
  if (::lseek(out.get(), 0, SEEK_SET) != 0) return Status::FromErrno(errno, "seccomp: lseek");
  return ReadToEnd(out.get(), "seccomp: reading the filter");
}

}  // namespace

Result<std::string> ThumbnailerSeccompProgram() {
  static const Result<std::string>* program = new Result<std::string>(Build());
  return *program;
}

Result<UniqueFd> ThumbnailerSeccompFd() {
  TESSERA_ASSIGN_OR_RETURN(std::string program, ThumbnailerSeccompProgram());
  UniqueFd fd(::memfd_create("tessera-seccomp", MFD_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno(errno, "seccomp: memfd_create");
  TESSERA_RETURN_IF_ERROR(WriteAll(fd.get(), program, "seccomp: writing the filter"));
  if (::lseek(fd.get(), 0, SEEK_SET) != 0) return Status::FromErrno(errno, "seccomp: lseek");
  return fd;
}

}  // namespace tessera::xdg
