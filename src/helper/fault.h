// Deliberate misbehaviour, requested by tests through $TESSERA_HELPER_FAULT, to prove that the
// command survives a helper that crashes, hangs, spins or runs out of memory, and that the
// sandbox refuses what it should.
#ifndef TESSERA_HELPER_FAULT_H_
#define TESSERA_HELPER_FAULT_H_

#include <string>

#include "tessera/engine.h"

namespace tessera::helper {

// "crash" (SIGSEGV), "abort" (SIGABRT), "hang" (sleeps), "spin" (burns CPU), "oom" (allocates
// until the address-space limit refuses); these do not return normally, or end in bad_alloc.
// Sandbox probes answer with an Internal status saying what the kernel did:
// "try-exec", "try-fork", "try-socket", "try-write:<path>", "try-kill:<pid>".
Result<ThumbnailSet> InjectFault(const std::string& fault);

}  // namespace tessera::helper

#endif  // TESSERA_HELPER_FAULT_H_
