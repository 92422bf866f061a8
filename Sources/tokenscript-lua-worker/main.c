// tokenscript-lua-worker: the sandboxed Lua worker process (see CTokenScriptWorkerCore/include/tsw_core.h
// for why it is C). Started by TokenScriptSandbox's pool with posix_spawn, channel on fd 3:
//   tokenscript-lua-worker --serve PARENT_PID ADDRESS_SPACE_BYTES
// Exit status (the parent reports it in "crashed" messages): 0 channel closed or budget tripped after
// replying, 3 channel write failed, 4 protocol violation by the parent, 64 bad usage, 65 a liblua whose
// thread layout the instruction meter cannot read (see meter.c), 101-106 a
// lock-down step failed (1 no channel, 2 PDEATHSIG, 3 dumpable, 4 rlimits, 5 no_new_privs, 6 seccomp).
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsw_core.h"

int main(int argc, char **argv) {
    if (argc != 4 || strcmp(argv[1], "--serve") != 0) {
        fprintf(stderr, "tokenscript-lua-worker is started by the TokenScript sandbox pool, not by hand\n");
        return 64;
    }
    // Poison freed heap memory (glibc M_PERTURB): a stale pointer into a freed block, such as the
    // Debian 5.4.4 luaV_concat use-after-free (sandbox.md §0.1), then reads 0xA5A5... and faults, so
    // the worker dies ("crashed") instead of computing with garbage. Costs about 5% per execution.
    mallopt(M_PERTURB, 0xA5);
    const char *library_problem = tsw_worker_check_library();
    if (library_problem != NULL) {
        fprintf(stderr, "tokenscript-lua-worker: unsupported liblua: %s\n", library_problem);
        return 65;
    }
    tsw_sandbox_config config = { 0 };
    config.channel_fd = 3;
    config.expected_parent = (pid_t)atol(argv[2]);
    config.address_space = strtoull(argv[3], NULL, 10);
    int step = tsw_sandbox_enter(&config);
    if (step != 0) return 100 + step;
    return tsw_worker_serve(3);
}
