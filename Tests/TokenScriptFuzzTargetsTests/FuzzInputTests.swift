import Foundation
import Testing
import TokenScriptFuzzTargets
import TokenScriptTesting

/// One committed fuzz input: a seed, or an input that once crashed a reader (under `regressions/`).
struct FuzzInput: CustomTestStringConvertible, Sendable {
    var target: FuzzTarget
    /// Relative to `Fixtures/fuzz/<target>/`.
    var name: String
    var bytes: [UInt8]

    var isRegression: Bool { name.hasPrefix("regressions/") }
    var testDescription: String { "\(target.rawValue)/\(name)" }

    /// Every file under `Fixtures/fuzz/<target>/`, for every target, in a stable order.
    static func all() -> [FuzzInput] {
        FuzzTarget.allCases.flatMap { target -> [FuzzInput] in
            let directory = TestPaths.fixtures + "/fuzz/" + target.rawValue
            let names = (FileManager.default.subpaths(atPath: directory) ?? []).sorted()
            return names.compactMap { name in
                // A directory has no contents: skipped.
                guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
                return FuzzInput(target: target, name: name, bytes: Array(data))
            }
        }
    }
}

/// The fuzz targets' committed inputs replayed on every test run, without libFuzzer (`scripts/fuzz` runs libFuzzer).
@Suite("Fuzz inputs")
struct FuzzInputTests {
    static let inputs = FuzzInput.all()

    @Test("every fuzz target has committed seeds", arguments: FuzzTarget.allCases)
    func targetHasSeeds(_ target: FuzzTarget) {
        #expect(Self.inputs.contains { $0.target == target && !$0.isRegression })
    }

    @Test("a seed runs through its fuzz target", arguments: inputs.filter { !$0.isRegression })
    func seed(_ input: FuzzInput) {
        input.target.run(input.bytes)
    }

    /// In a child process, so an input that traps again fails this test, naming the file, instead of ending the run.
    @Test(
        "an input that once crashed a reader now runs through its fuzz target", arguments: inputs.filter(\.isRegression)
    )
    func regression(_ input: FuzzInput) async {
        await #expect(processExitsWith: .success, "\(input.testDescription)") {
            [target = input.target as FuzzTarget, bytes = input.bytes as [UInt8]] in
            target.run(bytes)
        }
    }
}
