/// One rule of a cluster protocol, runnable against any implementation (`Subject` gives it a fresh one).
///
/// Test targets run the checks parameterised (`@Test(arguments: ElectionConformance.checks)`); other
/// packages can call `run` directly or `ConformanceCheck.runAll`.
public struct ConformanceCheck<Subject: Sendable>: Sendable, CustomStringConvertible {
    public var name: String
    public var run: @Sendable (Subject) async throws -> Void

    public init(_ name: String, run: @escaping @Sendable (Subject) async throws -> Void) {
        self.name = name
        self.run = run
    }

    public var description: String { name }

    /// Runs every check, each on a fresh subject from `make`; the first failure is thrown.
    public static func runAll(_ checks: [Self], make: @Sendable () async throws -> Subject) async throws {
        for check in checks { try await check.run(make()) }
    }
}

/// The assertions of the checks: each failure names the protocol, the step and the values.
struct Expectations: Sendable {
    let protocolName: String

    func fail(_ step: String, _ details: String) -> ConformanceFailure {
        ConformanceFailure(protocolName: protocolName, step: step, details: details)
    }

    func equal<Value: Equatable>(_ found: Value, _ expected: Value, _ step: String) throws {
        guard found == expected else { throw fail(step, "expected \(expected), found \(found)") }
    }

    func require(_ condition: Bool, _ step: String, _ details: @autoclosure () -> String) throws {
        guard condition else { throw fail(step, details()) }
    }

    /// `body` must throw an error that `matches`; anything else (a result, another error) fails.
    func refuses<Result>(
        _ step: String, expected: String, matches: (any Error) -> Bool, _ body: () async throws -> Result
    ) async throws {
        let result: Result
        do {
            result = try await body()
        } catch {
            guard matches(error) else { throw fail(step, "expected \(expected), got error \(error)") }
            return
        }
        throw fail(step, "expected \(expected), but it succeeded with \(result)")
    }
}
