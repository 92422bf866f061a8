-- backtracking pattern
return string.find(('a'):rep(30000), ('a*'):rep(20) .. 'b')
