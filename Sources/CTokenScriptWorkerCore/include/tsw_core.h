// The sandboxed Lua worker, in C.
//
// Why C and not Swift: after the seccomp filter is loaded this worker needs only read/write on its
// channel, memory management without PROT_EXEC, clocks and exit (3 syscalls for small scripts,
// measured with strace in /work/shared/reference/sandbox.md §3). A Swift worker touches 23–36
// distinct syscalls (Hasher seeding via getrandom, crash handlers, threads, futexes, epoll), some
// lazily after start-up, and a crash would try to spawn swift-backtrace. Keeping the worker in C
// keeps the allowlist, and so the kernel attack surface reachable from a compromised VM, minimal.
//
// This library is the only module in the package that touches liblua5.4 and libseccomp.
#ifndef TSW_CORE_H
#define TSW_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How the worker locks itself down before it reads untrusted input.
typedef struct tsw_sandbox_config {
    int channel_fd;           ///< the only descriptor kept open (read/write allowed on it only)
    pid_t expected_parent;    ///< the worker exits at once if its parent is not this pid (0: no check)
    uint64_t address_space;   ///< RLIMIT_AS in bytes (0: leave unchanged)
    /// Test hook: called after every step but the seccomp filter (the probe reports state here).
    void (*before_filter)(void *context);
    void *before_filter_context;
} tsw_sandbox_config;

/// Closes inherited descriptors, sets PDEATHSIG, non-dumpable, rlimits, no_new_privs and loads the
/// seccomp filter (default: kill the process). Returns 0 on success, or a step number (> 0) that failed.
int tsw_sandbox_enter(const tsw_sandbox_config *config);

/// Serves executions on `fd` until the parent closes the channel. Returns the process exit code.
int tsw_worker_serve(int fd);

/// Checks that the linked liblua is one whose thread layout the instruction meter can read (run
/// before the lock-down). Returns NULL, or a message for stderr; the worker must not serve then.
const char *tsw_worker_check_library(void);

#ifdef __cplusplus
}
#endif
#endif
