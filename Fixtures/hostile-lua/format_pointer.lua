-- expect: error mentions %p
-- %p would print a heap address (an ASLR aid).
return string.format('%p', {})
