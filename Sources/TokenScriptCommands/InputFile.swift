import TokenScriptFileSystem

/// Files the commands read besides TokenScripts — scenarios, attestations, responses, journals, sandbox
/// scripts, golden snapshots — go through `RegularFile`: a FIFO or device named on the command line or
/// in a scenario is refused at once instead of blocking, and no file is read past the cap.
enum InputFile {
    /// Far above any real scenario, attestation batch or journal, far below what would strain a node.
    static let maximumBytes = 64 << 20

    static func text(_ path: String) throws(FileReadError) -> String {
        try RegularFile.readText(path, limit: maximumBytes)
    }

    static func bytes(_ path: String) throws(FileReadError) -> [UInt8] {
        try RegularFile.read(path, limit: maximumBytes)
    }
}
