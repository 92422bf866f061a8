-- expect: limit/instructions
-- Each coroutine finishes below the 1,000-instruction hook interval; stock Lua restarts the countdown
-- per coroutine, so about 150 million instructions once ran free. Every countdown is flushed now.
local n = 0
for i = 1, 200000 do coroutine.wrap(function() for j = 1, 150 do n = n + 1 end end)() end
return n
