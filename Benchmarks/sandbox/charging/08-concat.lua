-- table.concat of 1000 strings
local t = {} for i = 1, 1000 do t[i] = ('x'):rep(i) end while true do local s = table.concat(t, ',') end
