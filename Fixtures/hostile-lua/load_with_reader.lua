-- expect: error mentions only string chunks
-- load accepts text only: no reader functions (and never mode 'b').
return load(function() return nil end)
