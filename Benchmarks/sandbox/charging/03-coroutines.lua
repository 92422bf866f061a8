-- short coroutines (below the hook interval)
while true do coroutine.wrap(function() for j = 1, 50 do end end)() end
