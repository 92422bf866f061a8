import Foundation
import Testing
@testable import TokenScriptFileSystem
import TokenScriptTesting
@testable import TokenScriptXML

/// A FIFO, a device or a directory named as a document or an entity target is refused at once with a
/// message saying what it is; nothing blocks in `open()` (a FIFO without a writer would block forever).
@Suite("Non-regular files")
struct NonRegularFileTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var path: @Sendable (String) throws -> String
        var message: String
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "a FIFO",
            path: { directory in
                try FIFO.make(directory + "/pipe.xml")
                return directory + "/pipe.xml"
            }, message: "is a FIFO, not a regular file"),
        Case(
            label: "a character device", path: { _ in "/dev/zero" },
            message: "is a character device, not a regular file"),
        Case(label: "a directory", path: { $0 }, message: "is a directory, not a regular file"),
        Case(label: "a missing file", path: { $0 + "/absent.xml" }, message: "cannot open: no such file"),
    ]

    @Test("RegularFile refuses what is not a regular file, naming what it is", arguments: cases)
    func refused(_ refused: Case) async throws {
        let directory = try TemporaryDirectory()
        let path = try refused.path(directory.path)
        let outcome = await BoundedWait.run(seconds: 10, rescue: { FIFO.release(path) }) { () -> String in
            do throws(FileReadError) {
                _ = try RegularFile.read(path, limit: 1 << 20)
                return "read"
            } catch {
                return error.description
            }
        }
        #expect(outcome == "\(path): \(refused.message)")
    }

    @Test("a FIFO given as the document is refused promptly with a located error")
    func fifoDocument() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/doc.xml"
        try FIFO.make(path)
        let problems = await BoundedWait.run(seconds: 10, rescue: { FIFO.release(path) }) { () -> [XMLProblem] in
            do throws(XMLReadFailure) {
                return try XMLDocumentReader.read(file: path).problems
            } catch {
                return error.problems
            }
        }
        #expect(problems?.count == 1)
        #expect(problems?.first?.message == "is a FIFO, not a regular file")
        #expect(problems?.first?.file == path)
    }

    @Test("a FIFO named by an external entity is refused promptly; the rest of the document is read")
    func fifoEntity() async throws {
        let directory = try TemporaryDirectory()
        try FIFO.make(directory.path + "/pipe.txt")
        let document = """
            <?xml version="1.0"?>
            <!DOCTYPE ts:token [ <!ENTITY pipe SYSTEM "pipe.txt"> ]>
            <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript"><ts:label>&pipe;</ts:label></ts:token>
            """
        try document.write(toFile: directory.path + "/doc.xml", atomically: false, encoding: .utf8)
        let path = directory.path + "/doc.xml", pipe = directory.path + "/pipe.txt"
        let result = await BoundedWait.run(seconds: 10, rescue: { FIFO.release(pipe) }) {
            try? XMLDocumentReader.read(file: path)
        }
        let problem = result??.problems.first { $0.message.contains("is a FIFO, not a regular file") }
        #expect(problem != nil, "\(String(describing: result))")
        #expect(problem?.line == 3)
    }

    @Test("a file over the limit is refused unread; one that grows is never read past it")
    func sizeCap() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/big"
        try Data(repeating: 0x61, count: 1000).write(to: URL(fileURLWithPath: path))
        #expect(throws: FileReadError(path: path, reason: .tooLarge(size: 1000, limit: 999))) {
            try RegularFile.read(path, limit: 999)
        }
        #expect(try RegularFile.read(path, limit: 1000).count == 1000)
        #expect(try RegularFile.read("/proc/self/status", limit: 1 << 20).count > 0)
    }
}
