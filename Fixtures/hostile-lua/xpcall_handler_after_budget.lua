-- expect: limit/instructions
-- The budget trips inside xpcall's body; stock Lua would then run the handler with hooks off.
-- Here the trip ends the worker, so the handler never runs.
return xpcall(function() local x = 0; while true do x = x + 1 end end, function() while true do end end)
