-- gsub with a replacement function
local s = ('hello world '):rep(2000) while true do s:gsub('%w+', string.upper) end
