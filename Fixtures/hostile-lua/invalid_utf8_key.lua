-- expect: error mentions result: a key is not valid UTF-8 (bytes fe)
-- Two keys that are not UTF-8 would both become U+FFFD if repaired, and Lua's table order would pick the survivor.
-- Of several refusals the least (path, bytes) is reported, whatever order Lua iterates in.
return {["\xff"] = 1, ["\xfe"] = 2}
