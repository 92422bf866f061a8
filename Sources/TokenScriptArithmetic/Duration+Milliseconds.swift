extension Duration {
    /// The duration in whole milliseconds, rounded down; 0 for a negative one.
    public var wholeMilliseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return UInt64(seconds).saturatingMultiplied(by: 1_000).saturatingAdding(
            UInt64(attoseconds / 1_000_000_000_000_000))
    }
}
