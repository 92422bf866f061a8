import TokenScriptModel

extension CommandFailure {
    /// A TokenScript that a command needs but cannot use: the first error's place and message, and how many
    /// more there are, so the one-object error still leads to every problem (`tokenscript validate` lists them).
    package init(unusableDocument file: String, diagnostics: [Diagnostic]) {
        let errors = diagnostics.filter { $0.severity == .error }
        guard let first = errors.first else {
            self.init("cannot use this TokenScript", file: file)
            return
        }
        let more = errors.count > 1 ? " (and \(errors.count - 1) more; `tokenscript validate \(file)` lists them)" : ""
        let location = first.location
        self.init(
            first.message + more, file: location?.file ?? file, line: location.flatMap { $0.line > 0 ? $0.line : nil },
            column: location.flatMap { $0.column > 0 ? $0.column : nil })
    }
}
