// lua-inprocess-baseline: the sandbox benchmark's reference (Benchmarks/sandbox/run.sh). Runs a Lua file in
// this process, without sandbox, allocator cap or filter, to show what the sandboxed pool costs on top.
// It lived in the production worker as `--bench-inprocess` until issue 9; production binaries carry no
// unsandboxed mode now.
//   lua-inprocess-baseline FILE ITERATIONS [metered]
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "metered") != 0)) {
        fprintf(stderr, "usage: lua-inprocess-baseline FILE ITERATIONS [metered]\n");
        return 64;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    static char source[1 << 20];
    size_t n = fread(source, 1, sizeof source, f);
    fclose(f);
    return baseline_run(source, n, atol(argv[2]), argc == 4);
}
