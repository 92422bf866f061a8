-- expect: error mentions result.x[1]: inf is not a JSON number
-- A non-finite number has no JSON form; writing it as null would make {1, math.huge} and {1, nil} hash alike. Paths count from 0, as in JSON.
return {x = {1, math.huge}}
