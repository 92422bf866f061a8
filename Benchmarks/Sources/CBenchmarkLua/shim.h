// Lua 5.4 (Debian liblua5.4-dev) for the unsandboxed baseline of the sandbox benchmark only.
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
