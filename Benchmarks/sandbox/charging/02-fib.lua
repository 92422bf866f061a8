-- VM: recursive calls (fib 20)
local function f(n) if n < 2 then return n end return f(n - 1) + f(n - 2) end while true do f(20) end
