import TokenScriptEngine

/// The journal reader: any text is read or refused, and a journal read writes back as lines that read the same.
enum JournalFuzzing {
    static func run(_ bytes: [UInt8]) {
        guard let journal = try? Journal(jsonLines: FuzzTarget.text(bytes)) else { return }
        let written = journal.jsonLines
        precondition(
            (try? Journal(jsonLines: written)) == journal, "a journal does not read back its own lines: \(written)")
    }
}
