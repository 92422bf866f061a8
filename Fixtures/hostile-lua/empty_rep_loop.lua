-- expect: limit/instructions
-- An empty piece repeated 2^62 times allocates nothing: string.rep's C loop would run for centuries
-- without the per-repetition charge.
return (''):rep(1 << 62)
