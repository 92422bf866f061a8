-- expect: error
-- The string metatable is locked: getmetatable('') returns a string, not the table.
local mt = getmetatable('')
mt.__index = {upper = function() return 'evil' end}
return ('x'):upper()
