import TokenScriptJSON

/// `POST /faults` read strictly: every field checked, a bad one named.
enum DemoHotelFaultRequest {
    struct Invalid: Error {
        var field: String
        var message: String
    }

    static let fields: Set<String> = ["key", "calls", "fault", "seconds", "status"]

    /// The plan and the key it is for (nil: every key).
    static func read(_ body: JSONValue) throws(Invalid) -> (DemoHotel.FaultPlan, String?) {
        guard let members = body.objectValue else { throw Invalid(field: "body", message: "must be a JSON object") }
        if let unknown = members.keys.map(\.string).sorted().first(where: { !fields.contains($0) }) {
            throw Invalid(field: unknown, message: "unknown field")
        }
        var key: String?
        if let value = members["key"] {
            guard let text = value.stringValue, !text.isEmpty else {
                throw Invalid(field: "key", message: "must be a non-empty string")
            }
            key = text
        }
        guard let calls = members["calls"]?.integerValue, calls >= 0, calls <= 1_000 else {
            throw Invalid(field: "calls", message: "required: an integer 0…1000")
        }
        let fault: DemoHotel.Fault
        switch members["fault"]?.stringValue {
        case "timeout": fault = .timeout(seconds: try seconds(members["seconds"]))
        case "slow": fault = .slow(seconds: try seconds(members["seconds"]))
        case "status":
            guard let status = members["status"]?.integerValue, (400...599).contains(status) else {
                throw Invalid(field: "status", message: "required for fault status: an integer 400…599")
            }
            fault = .status(Int(status))
        default: throw Invalid(field: "fault", message: "required: timeout, slow or status")
        }
        return (DemoHotel.FaultPlan(fault: fault, calls: Int(calls)), key)
    }

    private static func seconds(_ value: JSONValue?) throws(Invalid) -> Double {
        let number = value?.floatValue ?? value?.integerValue.map(Double.init)
        guard let number, number > 0, number <= 600 else {
            throw Invalid(field: "seconds", message: "required for timeout and slow: a number of seconds, 0…600")
        }
        return number
    }
}
