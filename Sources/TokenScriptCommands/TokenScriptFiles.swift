import Foundation

/// Expands the paths given on a command line into TokenScript files.
enum TokenScriptFiles {
    /// Extensions TokenScript files use: sources (`.xml`) and built, canonicalized files (`.tsml`).
    static let extensions: Set<String> = ["xml", "tsml"]

    /// Files as given, and directories searched recursively (sorted, so output order is stable).
    /// Paths that do not exist are returned in `missing`.
    static func expand(_ paths: [String]) -> (files: [String], missing: [String]) {
        var files: [String] = []
        var missing: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(path)
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            var found: [String] = []
            let enumerator = FileManager.default.enumerator(atPath: path)
            while let relative = enumerator?.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                guard !name.hasPrefix("."), extensions.contains((name as NSString).pathExtension.lowercased()) else {
                    continue
                }
                found.append((path as NSString).appendingPathComponent(relative))
            }
            files += found.sorted()
        }
        return (files, missing)
    }
}
