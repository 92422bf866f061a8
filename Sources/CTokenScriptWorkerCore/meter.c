// The instruction meter. Lua 5.4 keeps one count-hook countdown per thread (lua_State), and a new
// coroutine starts a fresh one, so a coroutine that stops before its countdown reaches zero was
// never charged (122 million instructions once ran against a 5 million budget). Here every thread's
// countdown is flushed into the one budget whenever the thread stops running (see
// metered_coroutines.c) and at the end, so every instruction in every thread is charged exactly.
//
// The public API cannot read a countdown (lua_gethookcount returns the interval), so the meter reads
// lua_State.hookcount through a mirror of Lua 5.4.4's lstate.h, checked against the real library at
// start-up (tsw_meter_verify_layout): a different layout stops the worker before it serves anything.
#include <lauxlib.h>
#include <signal.h>
#include <stddef.h>

#include "meter.h"

/// Lua 5.4.4 lstate.h `CallInfo`.
struct mirror_callinfo {
    void *func, *top, *previous, *next;
    union {
        struct { const void *savedpc; volatile sig_atomic_t trap; int nextraargs; } l;
        struct { void *k; ptrdiff_t old_errfunc; intptr_t ctx; } c;
    } u;
    union { int funcidx; int nyield; int nres; struct { unsigned short ftransfer, ntransfer; } transferinfo; } u2;
    short nresults;
    unsigned short callstatus;
};

/// Lua 5.4.4 lstate.h `struct lua_State`, down to the hook fields the meter reads.
struct mirror_thread {
    void *next;
    unsigned char tt, marked, status, allowhook;
    unsigned short nci;
    void *top, *l_G, *ci, *stack_last, *stack, *openupval, *tbclist, *gclist, *twups, *errorJmp;
    struct mirror_callinfo base_ci;
    volatile lua_Hook hook;
    ptrdiff_t errfunc;
    uint32_t nCcalls;
    int oldpc;
    int basehookcount;
    int hookcount;
    volatile sig_atomic_t hookmask;
};

#define MIRROR(L) ((struct mirror_thread *)(void *)(L))

static int hook_step = 1000;

static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)L;
    (void)ar;
    tsw_charge((uint64_t)hook_step);
}

void tsw_meter_start(lua_State *L, uint64_t limit) {
    hook_step = limit < 1000 ? (limit == 0 ? 1 : (int)limit) : 1000;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, hook_step);
}

void tsw_meter_flush(lua_State *thread) {
    struct mirror_thread *m = MIRROR(thread);
    if (m->hook != count_hook) return;
    int base = m->basehookcount, left = m->hookcount;
    if (left > 0 && left <= base) tsw_charge((uint64_t)(base - left));
    m->hookcount = base;
}

static void probe_hook(lua_State *L, lua_Debug *ar) { (void)L; (void)ar; }

static int hook_fields_are(lua_State *L, int count) {
    struct mirror_thread *m = MIRROR(L);
    return m->hook == probe_hook && m->basehookcount == count && m->hookcount == count && m->hookmask == LUA_MASKCOUNT;
}

const char *tsw_meter_verify_layout(void) {
    if (LUA_VERSION_NUM != 504) return "the instruction meter reads Lua 5.4's thread layout";
    lua_State *L = luaL_newstate();
    if (L == NULL) return "cannot create a Lua state";
    const char *problem = NULL;
    lua_sethook(L, probe_hook, LUA_MASKCOUNT, 12345);
    if (!hook_fields_are(L, 12345)) problem = "lua_State hook fields are not where Lua 5.4.4 keeps them";
    lua_State *co = lua_newthread(L);
    if (!problem && !hook_fields_are(co, 12345)) problem = "a new thread does not inherit the count hook";
    lua_sethook(L, probe_hook, LUA_MASKCOUNT, 1000000);
    if (!problem && luaL_loadstring(L, "local a = 0 for i = 1, 10 do a = a + i end return a") == LUA_OK &&
        lua_pcall(L, 0, 1, 0) == LUA_OK) {
        int ran = 1000000 - MIRROR(L)->hookcount;
        if (ran < 20 || ran > 200) problem = "lua_State.hookcount does not count executed instructions";
    } else if (!problem) {
        problem = "the layout probe script failed";
    }
    lua_close(L);
    return problem;
}
