-- expect: error mentions result.state.ab[3]: not valid UTF-8
-- A result string that is not UTF-8 has no exact JSON form: refused with its path, never repaired to U+FFFD.
return {state = {ab = {1, 2, 3, "caf\xe9"}}}
