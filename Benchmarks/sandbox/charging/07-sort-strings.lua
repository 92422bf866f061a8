-- table.sort of strings with 1 KB common prefixes
local p = ('x'):rep(1000) local t = {} for i = 1, 3000 do t[i] = p .. ((i * 37) % 3001) end while true do table.sort(t) end
