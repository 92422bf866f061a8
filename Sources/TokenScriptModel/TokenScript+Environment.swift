extension TokenScript {
    /// `ts:meta/ts:env` as NAME → value, with `overrides` winning: what `${env.NAME}` in an effect's URL reads.
    ///
    /// The one merge every path uses (executor, dry run, scenarios), so a value a test or an operator overrides
    /// (pointing `${env.hotelApi}` at a local server) means the same thing everywhere. A later `ts:env` of the
    /// same name wins over an earlier one, as it always has.
    public func environment(overrides: [String: String] = [:]) -> [String: String] {
        var environment: [String: String] = [:]
        for value in meta.environment { environment[value.name] = value.value }
        environment.merge(overrides) { $1 }
        return environment
    }
}
