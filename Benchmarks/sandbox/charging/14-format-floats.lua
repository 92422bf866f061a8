-- string.format('%99.99f') of 1e300
local n = {} for i = 1, 100 do n[i] = i * 1e300 end local f = ('%99.99f'):rep(100) while true do string.format(f, table.unpack(n)) end
