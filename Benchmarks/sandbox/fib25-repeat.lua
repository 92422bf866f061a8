-- fib(25) repeated inside one lua5.4 process, timed per call with os.clock: the interpreter's own speed,
-- without process start-up. Usage: lua5.4 fib25-repeat.lua N   (prints one JSON object)
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local n = tonumber(arg[1]) or 100
local times = {}
local total = 0
for i = 1, n do
  local started = os.clock()
  fib(25)
  local elapsed = os.clock() - started
  times[i] = elapsed * 1e6
  total = total + elapsed
end
table.sort(times)
print(string.format('{"per_s":%.1f,"p50_us":%.2f,"p99_us":%.2f}', n / total, times[n // 2 + 1], times[math.floor(n * 0.99) + 1 > n and n or math.floor(n * 0.99) + 1]))
