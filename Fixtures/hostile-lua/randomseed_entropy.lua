-- expect: error mentions randomseed
-- math.randomseed() without arguments reads time and addresses; it is removed.
math.randomseed()
return math.random()
