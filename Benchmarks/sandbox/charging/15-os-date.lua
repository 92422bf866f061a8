-- os.date with 2000 conversions
local f = ('%c'):rep(2000) while true do os.date('!' .. f, 0) end
