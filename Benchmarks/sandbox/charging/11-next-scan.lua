-- next(t) as an emptiness test, 5000 keys
local t = {} for i = 1, 5000 do t['k' .. i] = i end while next(t) do end
