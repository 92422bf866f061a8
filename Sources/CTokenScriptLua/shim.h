// Lua 5.4 (Debian liblua5.4-dev). Only CTokenScriptWorkerCore includes this module: the Lua VM
// runs in the sandboxed C worker, never in a Swift process.
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
