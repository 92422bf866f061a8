/// Event ABIs declared in ASN.X (`asnx:module`), which `ethereum:event` origins name by type.
public struct EventModule: Sendable, Hashable, Codable {
    /// One event: its name and fields in ABI order.
    public struct EventType: Sendable, Hashable, Codable {
        public struct Field: Sendable, Hashable, Codable {
            public var name: String
            /// `ethereum:type`, with `uint`/`int` widened to `uint256`/`int256`.
            public var type: String
            public var indexed: Bool

            public init(name: String, type: String, indexed: Bool) {
                self.name = name
                self.type = type
                self.indexed = indexed
            }
        }

        public var name: String
        public var fields: [Field]

        public init(name: String, fields: [Field]) {
            self.name = name
            self.fields = fields
        }

        /// `Name(type1,type2)`, whose Keccak-256 is the event's first topic.
        public var signature: String { "\(name)(\(fields.map(\.type).joined(separator: ",")))" }
    }

    public var name: String
    public var types: [EventType]

    public init(name: String, types: [EventType]) {
        self.name = name
        self.types = types
    }
}
