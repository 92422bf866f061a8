-- caught memory errors over a 200k-table heap
local keep = {} for i = 1, 200000 do keep[i] = {i} end while true do pcall(string.rep, 'x', 1 << 26) end
