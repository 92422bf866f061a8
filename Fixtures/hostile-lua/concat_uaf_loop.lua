-- expect: crashed
-- Debian liblua5.4 5.4.4-3+deb12u1 luaV_concat use-after-free (missing upstream 603b2c64), the heavier
-- variant of ../shared/hostile/lua/concat_uaf2.lua without collectgarbage (refused here). Canary: turns
-- into "ok" ("survived") once the Lua library is fixed; until then only the worker may die.
local function grow(n) if n > 0 then return 1 + grow(n - 1) end return 0 end
local depth = 1000
local mt = {__concat = function(a, b) depth = depth * 2; if depth > 200000 then depth = 1000 end; grow(depth); return {} end}
local t = setmetatable({}, mt)
for i = 1, 200 do
  local ok, e = pcall(function() local s = "a" .. "b" .. "c" .. t .. t end)
end
return "survived"
