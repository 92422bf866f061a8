import TokenScriptEngine
import TokenScriptJournalFile

extension DryRun {
    /// `--journal FILE`: the run's journal, written through the node's file store (`FileJournalStore`:
    /// one fsynced line per entry) into a new file, so `tokenscript replay FILE --script … --node-key …`
    /// can check it. An existing file is never overwritten.
    static func writeJournal(_ journal: Journal, to path: String) async throws {
        let store: FileJournalStore
        do {
            store = try FileJournalStore(creating: path, header: journal.header)
        } catch {
            throw Problem(description: "--journal \(path): \(error.description)")
        }
        for entry in journal.sealedEntries {
            do { try await store.append(entry) } catch {
                throw Problem(description: "--journal \(path): \(error.description)")
            }
        }
    }
}
