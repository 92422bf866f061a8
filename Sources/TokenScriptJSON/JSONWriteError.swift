/// A value with no canonical JSON form (a non-finite float), and where it is.
public struct JSONWriteError: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String
    public let path: JSONPath

    public var description: String { "\(path): \(reason)" }
}
