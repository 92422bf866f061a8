-- expect: limit/time
-- C-level work ignores the count hook: only the parent's wall-clock SIGKILL stops it.
return string.find(('a'):rep(30000), ('a*'):rep(20) .. 'b')
