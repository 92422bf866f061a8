-- expect: limit/instructions
-- A __close handler that never returns, reached through a normal error: it runs with hooks on.
local ok = pcall(function()
  local x <close> = setmetatable({}, {__close = function() while true do end end})
  error("leave")
end)
return ok
