/// The readers of untrusted input that libFuzzer drives (issue 8), one case per fuzz target.
///
/// The fuzz executable (`Tests/Fuzz`, built with `--sanitize fuzzer`) and the unit tests that replay every
/// committed seed and crash input both call `run`, so an input that once crashed a reader is checked on every
/// `swift test`, without libFuzzer. A target returns normally for any input; a trap, a failed
/// `precondition` (a broken round trip) or a hang is the finding.
public enum FuzzTarget: String, CaseIterable, Sendable, Codable {
    /// Every JSON reader: the sandbox's `SandboxValue.parseJSON` and the Ethereum JSON ABI reader.
    case json
    /// The attestation wire reader (`Attestation(json:)`), one `.jsonl` line.
    case attestation
    /// The read-grant wire reader and verifier (`ReadGrantVerifier.verify(json:for:)`).
    case readGrant = "read-grant"
    /// The journal reader (`Journal(jsonLines:)`).
    case journal
    /// The TokenScript filter grammar (`FilterParser`).
    case filter
    /// ISO 8601 durations (effect timeouts, retries, schedules), with the retry schedule computed from them.
    case duration
    /// GeneralizedTime attribute values, as text and as integer seconds.
    case generalizedTime = "generalized-time"
    /// Solidity ABI type strings (`ABIType(parsing:)`).
    case abiType = "abi-type"
    /// ABI decoding: a type string on the first line, the bytes to decode after it.
    case abiDecode = "abi-decode"
    /// The TokenScript document reader over XML bytes held in memory.
    case document

    /// Feeds one input to the target's reader.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .json: JSONFuzzing.run(bytes)
        case .attestation: AttestationFuzzing.run(bytes)
        case .readGrant: ReadGrantFuzzing.run(bytes)
        case .journal: JournalFuzzing.run(bytes)
        case .filter: FilterFuzzing.run(bytes)
        case .duration: DurationFuzzing.run(bytes)
        case .generalizedTime: GeneralizedTimeFuzzing.run(bytes)
        case .abiType: ABITypeFuzzing.run(bytes)
        case .abiDecode: ABIDecodeFuzzing.run(bytes)
        case .document: DocumentFuzzing.run(bytes)
        }
    }

    /// The input as text, the way the readers receive it from files and sockets (invalid UTF-8 repaired).
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
