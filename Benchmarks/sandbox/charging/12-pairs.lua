-- deterministic pairs over 5000 keys
local t = {} for i = 1, 5000 do t['k' .. i] = i end while true do for k in pairs(t) do end end
