/// Descriptive metadata of a token (`ts:meta`, 2022/09+).
public struct Meta: Sendable, Hashable, Codable {
    /// A value the issuer passes to cards and server-side logic (`ts:env name=`), such as an API base URL.
    public struct EnvironmentValue: Sendable, Hashable, Codable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var description = LocalizedText([])
    public var aboutURL = LocalizedText([])
    public var iconURL = LocalizedText([])
    public var imageURL = LocalizedText([])
    public var backgroundImageURL = LocalizedText([])
    public var environment: [EnvironmentValue] = []

    /// No metadata; the reader fills it in element by element.
    public init() {}

    public var isEmpty: Bool {
        description.isEmpty && aboutURL.isEmpty && iconURL.isEmpty && imageURL.isEmpty && backgroundImageURL.isEmpty
            && environment.isEmpty
    }
}
