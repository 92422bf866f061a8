import Foundation

/// What the devnet tells its users and tests: `{"anchors": [{"name", "url"}], "serviceNodes": [{"name", "url"}]}`,
/// written atomically (a temporary file renamed over the target) once every child is ready, so a reader never
/// sees half a manifest.
public struct DevnetManifest: Codable, Hashable, Sendable {
    public struct Entry: Codable, Hashable, Sendable {
        public var name: String
        public var url: String

        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    public var anchors: [Entry]
    public var serviceNodes: [Entry]

    public init(anchors: [Entry], serviceNodes: [Entry]) {
        self.anchors = anchors
        self.serviceNodes = serviceNodes
    }

    /// The manifest as pretty JSON with sorted keys.
    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Writes the manifest to `path` atomically.
    public func write(to path: String) throws {
        do {
            try json.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DevnetError("manifest: cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Reads a manifest file (for tests and tools).
    public static func read(_ path: String) throws -> DevnetManifest {
        try JSONDecoder().decode(DevnetManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
