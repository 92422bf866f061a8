-- load of a 100 KB chunk
local src = ('local a = {1,2,3} '):rep(5000) while true do load(src) end
