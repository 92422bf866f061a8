-- expect: error mentions __gc
-- A placeholder __gc marks an object for finalization; setting the real function later would run
-- it with hooks off (lgc.c GCTM). setmetatable refuses any __gc field, placeholder included.
local mt = {__gc = true}
local t = setmetatable({}, mt)
mt.__gc = function() while true do end end
return "marked"
