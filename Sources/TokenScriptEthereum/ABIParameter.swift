/// One named input or output of a function or event, as listed in a JSON ABI.
public struct ABIParameter: Hashable, Sendable {
    public var name: String
    public var type: ABIType
    /// Event inputs only: whether the value goes into a topic rather than the data.
    public var isIndexed: Bool

    public init(name: String = "", type: ABIType, isIndexed: Bool = false) {
        self.name = name
        self.type = type
        self.isIndexed = isIndexed
    }
}

extension [ABIParameter] {
    /// `(T1,T2,…)` without names, the part of a signature after the name.
    var signatureList: String { "(" + map(\.type.description).joined(separator: ",") + ")" }
}
