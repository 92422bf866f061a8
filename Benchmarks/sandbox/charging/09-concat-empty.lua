-- table.concat of 100000 empty strings
local t = {} for i = 1, 100000 do t[i] = '' end while true do local s = table.concat(t) end
