import Foundation

/// Expands the paths given on a command line into TokenScript files.
enum TokenScriptFiles {
    /// Extensions TokenScript files use: sources (`.xml`) and built, canonicalized files (`.tsml`).
    static let extensions: Set<String> = ["xml", "tsml"]

    /// Files as given, and directories searched recursively, hidden entries skipped (sorted, so output order is
    /// stable). Paths that do not exist are returned in `missing`.
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
            let root = URL(fileURLWithPath: path)
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            while let url = enumerator?.nextObject() as? URL {
                guard extensions.contains(url.pathExtension.lowercased()),
                    (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
                else { continue }
                // Keep the user's spelling of the directory in every reported path.
                let relative = url.path.dropFirst(root.standardizedFileURL.path.count).drop { $0 == "/" }
                found.append((path as NSString).appendingPathComponent(String(relative)))
            }
            files += found.sorted()
        }
        return (files, missing)
    }
}
