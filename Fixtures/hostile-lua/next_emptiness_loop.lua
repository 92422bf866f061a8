-- expect: limit/instructions
-- next(t) used as an emptiness test on a big table, in a loop that never empties it. Deterministic
-- next finds the smallest key by scanning every key, and each scan is charged per key; stock next
-- (this catalogue runs non-deterministic) is a VM loop; either way the budget ends it.
local t = {}
for i = 1, 20000 do t['k' .. i] = i end
while next(t) do end
