// The state and the metering shared by the pattern matcher (pattern_matcher.c) and the string functions
// built on it (patterns.c): Lua 5.4.4 lstrlib.c's MatchState with a step counter. See patterns.c.
#ifndef TSW_PATTERN_STATE_H
#define TSW_PATTERN_STATE_H

#include <ctype.h>
#include <lauxlib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "meter.h"

#define LUA_MAXCAPTURES 32
#define uchar(c) ((unsigned char)(c))
#define l_unlikely(x) __builtin_expect(((x) != 0), 0)

#define CAP_UNFINISHED	(-1)
#define CAP_POSITION	(-2)


typedef struct MatchState {
  const char *src_init;  /* init of source string */
  const char *src_end;  /* end ('\0') of source string */
  const char *p_end;  /* end ('\0') of pattern */
  lua_State *L;
  uint64_t steps;  /* matching steps not yet charged */
  int matchdepth;  /* control for recursive depth (to avoid C stack overflow) */
  unsigned char level;  /* total number of captures (finished or unfinished) */
  struct {
    const char *init;
    ptrdiff_t len;
  } capture[LUA_MAXCAPTURES];
} MatchState;


/* recursive function (pattern_matcher.c) */
#define match tsw_pattern_match
const char *match (MatchState *ms, const char *s, const char *p);

/* charges the steps counted so far (process-fatal past the budget) */
#define flush_steps tsw_pattern_flush_steps
void flush_steps (MatchState *ms);

#define STEP_BATCH 4096
#define TICK(ms, n) do { if (((ms)->steps += (uint64_t)(n)) >= STEP_BATCH) flush_steps(ms); } while (0)

/* maximum recursion depth for 'match' */
#if !defined(MAXCCALLS)
#define MAXCCALLS	200
#endif


#define L_ESC		'%'
#define SPECIALS	"^$*+?.([%-"


#endif
