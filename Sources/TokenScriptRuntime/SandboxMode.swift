/// Whether an execution must replay byte-identically.
///
/// Deterministic: `math.random` seeded from `seed`, `pairs`/`next` in canonical key order (Lua 5.4
/// randomises string hashing per state), `table.sort` stable, `os.time`/`os.date` read `logicalTime`,
/// `os.clock` reads the instruction count. Non-deterministic (read-only queries): a random seed, the
/// current time, and Lua's own (faster) iteration order.
public enum SandboxMode: Sendable, Equatable {
    case deterministic(seed: UInt64, logicalTime: Int64 = 0)
    case nondeterministic
}
