-- expect: limit/output
-- The output budget is process-fatal: pcall cannot swallow it.
while true do pcall(print, ('y'):rep(1000)) end
