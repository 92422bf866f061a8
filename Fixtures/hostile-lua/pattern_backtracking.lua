-- expect: limit/instructions
-- Backtracking in C, where the count hook never fires: the metered matcher charges every step.
return string.find(('a'):rep(30000), ('a*'):rep(20) .. 'b')
