// Worker lock-down: every step runs before the worker reads a byte of untrusted input.
// Order follows /work/shared/reference/sandbox.md §3 step 2 (OpenSSH privsep child, nsjail, bubblewrap).
#define _GNU_SOURCE
#include "tsw_core.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

/// Closes every descriptor except `keep`. close_range(2) first; a loop as fallback for old kernels.
static int close_inherited(int keep) {
    for (int fd = 0; fd < keep; fd++) close(fd);
    if (syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0) == 0) return 0;
    for (int fd = keep + 1; fd < 65536; fd++) close(fd);
    return 0;
}

static int set_limit(int resource, rlim_t value) {
    struct rlimit r = { value, value };
    return setrlimit(resource, &r);
}

/// The allowlist (sandbox.md §4.1). Anything else kills the whole process (SIGSYS).
static int load_filter(int fd) {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (ctx == NULL) return -1;
    int rc = 0;
    // Non-native ABIs (x32 numbers, int 0x80) are killed, not merely denied.
    rc |= seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    rc |= seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1);
    // The channel is the only descriptor the worker may use.
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd));
    // Memory management for glibc malloc, never executable (W^X).
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(munmap), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mremap), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(brk), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(madvise), 1, SCMP_A2(SCMP_CMP_EQ, MADV_DONTNEED));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(madvise), 1, SCMP_A2(SCMP_CMP_EQ, MADV_FREE));
    // Clocks (table.sort's pivot randomisation calls clock(); os.* read the logical clock instead).
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clock_gettime), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(gettimeofday), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(time), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigreturn), 0);
    // A graceful denial keeps libc fallbacks working (as OpenSSH does).
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 0);
    if (rc == 0) rc = seccomp_load(ctx);
    seccomp_release(ctx);
    return rc == 0 ? 0 : -1;
}

int tsw_sandbox_enter(const tsw_sandbox_config *config) {
    int fd = config->channel_fd;
    if (fcntl(fd, F_GETFD) < 0) return 1;
    close_inherited(fd);
    // Die with the parent (the spawning thread is a dedicated, never-ending thread in the pool).
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return 2;
    if (config->expected_parent != 0 && getppid() != config->expected_parent) _exit(0);
    if (prctl(PR_SET_DUMPABLE, 0) != 0) return 3;
    if (set_limit(RLIMIT_CORE, 0) != 0) return 4;
    if (set_limit(RLIMIT_FSIZE, 0) != 0) return 4;
    if (set_limit(RLIMIT_NOFILE, (rlim_t)fd + 1) != 0) return 4;
    if (set_limit(RLIMIT_NPROC, 0) != 0) return 4;
    if (config->address_space != 0 && set_limit(RLIMIT_AS, (rlim_t)config->address_space) != 0) return 4;
    // os.date needs the time zone loaded now: no file can be opened later. The parent sets TZ=UTC0.
    tzset();
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 5;
    if (config->before_filter != NULL) config->before_filter(config->before_filter_context);
    if (load_filter(fd) != 0) return 6;
    return 0;
}
