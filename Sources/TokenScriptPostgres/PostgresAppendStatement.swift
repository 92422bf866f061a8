import PostgresNIO

/// The fenced append as a prepared statement: parsed and planned once per connection, then only bound and run,
/// which roughly halves what the database spends on each append (`Benchmarks/run-cluster-benchmark.sh`).
struct PostgresAppendStatement: PostgresPreparedStatement {
    static let name = "tokenscript_append_v1"
    static let sql = """
        SELECT outcome, entry_position, entry_topic, entry_wire, entry_fence_instance, entry_fence_epoch,
            lease_epoch, lease_holder, lease_expires_at
        FROM ts_append($1, $2, $3, $4, $5, $6)
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .text, .int8, .int8]
    typealias Row = (String, Int64?, String?, String?, String?, Int64?, Int64?, String?, Int64?)

    var topic: String
    var id: String
    var wire: String
    var fenceInstance: String?
    var fenceEpoch: Int64?
    var now: Int64

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 6)
        bindings.append(topic)
        bindings.append(id)
        bindings.append(wire)
        bindings.append(fenceInstance)
        bindings.append(fenceEpoch)
        bindings.append(now)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
