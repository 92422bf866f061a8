-- utf8.len of 100 KB
local s = ('é'):rep(50000) while true do utf8.len(s) end
