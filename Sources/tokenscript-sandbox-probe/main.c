// tokenscript-sandbox-probe: TEST-ONLY. Enters exactly the worker's sandbox (same C code), then makes
// one native escape attempt named in argv (catalogue rows N01-N13) and reports on fd 3 if it survived.
// Scripts can never reach this code: it is a separate executable that never runs Lua.
//   tokenscript-sandbox-probe ATTEMPT      (fd 3: a pipe or socket to the test)
// It also stands in for a compromised worker, to test the parent's side of the protocol:
//   tokenscript-sandbox-probe --serve PARENT_PID AS   (as the pool starts workers; the script source
//   of each run names the misbehaviour: garbage-type, oversize, unknown-host-call, silent-exit, log-flood, ok)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tsw_core.h"

static char state[512];

static void report(const char *text) {
    ssize_t n = write(3, text, strlen(text));
    (void)n;
}

static void report_result(long rc) {
    char line[96];
    snprintf(line, sizeof line, "returned %ld errno %d\n", rc, rc < 0 ? errno : 0);
    report(line);
}

/// Collected before the filter (fcntl and getrlimit are not allowed after it).
static void collect_state(void *context) {
    (void)context;
    int open_fds = 0;
    for (int fd = 0; fd < 1024; fd++)
        if (fcntl(fd, F_GETFD) >= 0) open_fds++;
    struct rlimit core, fsize, nofile, nproc;
    getrlimit(RLIMIT_CORE, &core);
    getrlimit(RLIMIT_FSIZE, &fsize);
    getrlimit(RLIMIT_NOFILE, &nofile);
    getrlimit(RLIMIT_NPROC, &nproc);
    int pdeath = 0;
    prctl(PR_GET_PDEATHSIG, &pdeath);
    snprintf(state, sizeof state, "fds=%d dumpable=%d nnp=%d pdeathsig=%d core=%lu fsize=%lu nofile=%lu nproc=%lu\n", open_fds,
             prctl(PR_GET_DUMPABLE), prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), pdeath, (unsigned long)core.rlim_cur,
             (unsigned long)fsize.rlim_cur, (unsigned long)nofile.rlim_cur, (unsigned long)nproc.rlim_cur);
}

static int read_exact(unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t r = read(3, p, n);
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static void send_frame(unsigned char type, const void *payload, uint32_t n) {
    unsigned char header[5] = { (unsigned char)(n + 1), (unsigned char)((n + 1) >> 8), (unsigned char)((n + 1) >> 16),
                                (unsigned char)((n + 1) >> 24), type };
    if (write(3, header, 5) != 5 || (n && write(3, payload, n) != (ssize_t)n)) _exit(3);
}

/// A worker gone bad: answers each run frame with the misbehaviour its script source names.
static int misbehave(void) {
    static unsigned char frame[1 << 20];
    for (;;) {
        unsigned char header[5];
        if (read_exact(header, 5) != 0) return 0;
        uint32_t n = (uint32_t)header[0] | ((uint32_t)header[1] << 8) | ((uint32_t)header[2] << 16) | ((uint32_t)header[3] << 24);
        if (n < 1 || n - 1 > sizeof frame || read_exact(frame, n - 1) != 0) return 4;
        // Run payload: 4 x u64, u8, 2 x u64, u32 capability count (assumed 0 here), u32 source length, source.
        size_t at = 4 * 8 + 1 + 2 * 8 + 4 + 4;
        if (n - 1 < at) return 4;
        const char *source = (const char *)frame + at;
        size_t length = n - 1 - at;
        if (length >= 12 && memcmp(source, "garbage-type", 12) == 0) send_frame('Z', "x", 1);
        else if (length >= 8 && memcmp(source, "oversize", 8) == 0) {
            unsigned char huge[5] = { 0xff, 0xff, 0xff, 0x7f, 'D' };
            if (write(3, huge, 5) != 5) _exit(3);
        } else if (length >= 17 && memcmp(source, "unknown-host-call", 17) == 0) {
            unsigned char call[] = { 4, 0, 0, 0, 'e', 'x', 'e', 'c', 6, 0, 0, 0, 0 };
            send_frame('H', call, sizeof call);
        } else if (length >= 11 && memcmp(source, "silent-exit", 11) == 0) _exit(0);
        else if (length >= 9 && memcmp(source, "log-flood", 9) == 0) {
            static char line[60000];
            memset(line, 'f', sizeof line);
            for (;;) send_frame('L', line, sizeof line);
        } else {
            // A well-formed "ok" reply with value true.
            unsigned char done[] = { 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
            send_frame('D', done, sizeof done);
        }
    }
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--serve") == 0) {
        tsw_sandbox_config worker = { 0 };
        worker.channel_fd = 3;
        worker.expected_parent = (pid_t)atol(argv[2]);
        worker.address_space = strtoull(argv[3], NULL, 10);
        if (tsw_sandbox_enter(&worker) != 0) return 100;
        return misbehave();
    }
    if (argc != 2) return 64;
    const char *a = argv[1];
    pid_t parent = getppid();
    tsw_sandbox_config config = { 0 };
    config.channel_fd = 3;
    config.address_space = 1ull << 30;
    config.before_filter = collect_state;
    int step = tsw_sandbox_enter(&config);
    if (step != 0) return 100 + step;

    if (strcmp(a, "none") == 0) { report("alive\n"); _exit(0); }
    if (strcmp(a, "state") == 0) { report(state); _exit(0); }
    if (strcmp(a, "N01") == 0) report_result(syscall(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY));
    else if (strcmp(a, "N02") == 0) report_result(syscall(SYS_socket, AF_INET, SOCK_STREAM, 0));
    else if (strcmp(a, "N03") == 0) {
        char *args[] = { "/bin/sh", "-c", "true", NULL };
        report_result(syscall(SYS_execve, "/bin/sh", args, NULL));
    } else if (strcmp(a, "N04") == 0) report_result(syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0));
    else if (strcmp(a, "N04-fork") == 0) report_result(syscall(SYS_fork));
    else if (strcmp(a, "N05") == 0) report_result(syscall(SYS_ptrace, PTRACE_ATTACH, parent, 0, 0));
    else if (strcmp(a, "N05-vm") == 0) {
        char buf[8] = { 0 };
        struct iovec local = { buf, sizeof buf }, remote = { buf, sizeof buf };
        report_result(syscall(SYS_process_vm_writev, parent, &local, 1, &remote, 1, 0));
    } else if (strcmp(a, "N06") == 0)
        report_result(syscall(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    else if (strcmp(a, "N06-mprotect") == 0) {
        static char page[8192] __attribute__((aligned(4096)));
        report_result(syscall(SYS_mprotect, page, 4096, PROT_READ | PROT_EXEC));
    } else if (strcmp(a, "N07") == 0) report_result(syscall(SYS_write, 1, "x", 1));
    else if (strcmp(a, "N08") == 0) report_result(syscall(SYS_kill, parent, 0));  // signal 0: harmless if it got through
    else if (strcmp(a, "N09") == 0) report_result(syscall(0x40000000 | SYS_getppid));  // x32 ABI number
    else if (strcmp(a, "N09-int80") == 0) {
        long rc;
        __asm__ volatile("int $0x80" : "=a"(rc) : "a"(64) : "memory");  // i386 getppid
        report_result(rc);
    } else if (strcmp(a, "N10") == 0) report_result(syscall(425 /* io_uring_setup */, 8, NULL));
    else if (strcmp(a, "N11") == 0) report_result(syscall(SYS_userfaultfd, 0));
    else if (strcmp(a, "N11-memfd") == 0) report_result(syscall(SYS_memfd_create, "x", 0));
    else if (strcmp(a, "N11-clone3") == 0) report_result(syscall(435 /* clone3 */, NULL, 0));
    else if (strcmp(a, "N11-bpf") == 0) report_result(syscall(SYS_bpf, 0, NULL, 0));
    else if (strcmp(a, "N11-perf") == 0) report_result(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
    else if (strcmp(a, "N12") == 0) report_result(syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL));
    else if (strcmp(a, "N12-prctl") == 0) report_result(syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
    else if (strcmp(a, "N13") == 0) {
        char buf[8];
        report_result(syscall(SYS_getrandom, buf, sizeof buf, 0));
    } else {
        report("unknown attempt\n");
        _exit(65);
    }
    _exit(0);
}
