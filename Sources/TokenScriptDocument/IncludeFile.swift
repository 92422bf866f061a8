import Foundation

/// Reads a file a `ts:include` names, once `ConfinedPath` has allowed it.
enum IncludeFile {
    struct Failure: Error {
        var message: String
    }

    static func read(_ path: String, limit: Int) -> Result<String, Failure> {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              (attributes[.type] as? FileAttributeType) == .typeRegular
        else { return .failure(Failure(message: "not a regular file")) }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limit else { return .failure(Failure(message: "file is \(size) bytes, over the limit of \(limit)")) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Failure(message: "cannot be read"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(Failure(message: "is not valid UTF-8"))
        }
        return .success(text)
    }
}
