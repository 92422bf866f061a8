-- string.rep of one byte, 10^6 times
while true do local s = ('x'):rep(1000000) end
