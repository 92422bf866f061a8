import TokenScriptJSON
import TokenScriptRuntime

/// The framed protocol on the worker's channel (a SOCK_STREAM socketpair, fd 3 in the worker).
/// Mirrors `Sources/CTokenScriptWorkerCore/protocol.h`, which is the reference.
///
///     frame    = u32le length(type + payload) <= 16 MiB, u8 type, payload
///     'R' run        parent -> worker   limits, flags, seed, logical time, capabilities, source,
///                                       optionally u8 1 + input value (then `host.input()` needs no call)
///     'h' host reply parent -> worker   u8 ok, then a value (ok) or u32le length + message
///     'L' log line   worker -> parent   the line's bytes (one-way)
///     'H' host call  worker -> parent   u32le length + name, value (array of arguments)
///     'D' done       worker -> parent   u8 status, u8 limit, u8 flags, u32le length + message,
///                                       value, u64le instructions, u64le peak memory
///     value    = u8 tag: 0 nil | 1 false | 2 true | 3 i64le | 4 f64le | 5 u32le length + bytes
///                | 6 u32le count + values | 7 u32le count + (key value)*
///
/// Binary rather than JSON so the C worker needs no parser beyond bounded cursor reads.
enum Wire {
    static let maxFrame = SandboxLimits.frameBytes

    enum FrameType: UInt8 {
        case run = 0x52  // R
        case hostReply = 0x68  // h
        case log = 0x4C  // L
        case hostCall = 0x48  // H
        case done = 0x44  // D
    }

    static let flagDeterministic: UInt8 = 1
    static let doneExiting: UInt8 = 1
    static let doneRecycle: UInt8 = 2
}

struct WireWriter {
    var bytes: [UInt8] = []

    init(frame type: Wire.FrameType) {
        bytes = [0, 0, 0, 0, type.rawValue]
    }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func blob<C: Collection<UInt8>>(_ b: C) {
        u32(UInt32(b.count))
        bytes.append(contentsOf: b)
    }

    mutating func value(_ v: SandboxValue) {
        switch v {
        case .null: u8(0)
        case .bool(let b): u8(b ? 2 : 1)
        case .int(let i): u8(3); u64(UInt64(bitPattern: i))
        case .double(let d): u8(4); u64(d.bitPattern)
        case .string(let s): u8(5); blob(Array(s.utf8))
        case .array(let items):
            u8(6); u32(UInt32(items.count))
            for item in items { value(item) }
        case .object(let fields):
            u8(7); u32(UInt32(fields.count))
            // Byte order (JSONKey's), so the worker receives every map in one order on every node.
            for key in fields.keys.sorted() {
                u8(5)
                blob(key.bytes)
                value(fields[key]!)
            }
        }
    }

    /// The finished frame with its length filled in.
    func finished() -> [UInt8] {
        var out = bytes
        let n = UInt32(out.count - 4).littleEndian
        withUnsafeBytes(of: n) { raw in for i in 0..<4 { out[i] = raw[i] } }
        return out
    }
}

struct WireError: Error {}

struct WireReader {
    let bytes: [UInt8]
    var at: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        at = 0
    }

    mutating func u8() throws -> UInt8 {
        guard at < bytes.count else { throw WireError() }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func u32() throws -> UInt32 { try littleEndian() }

    mutating func u64() throws -> UInt64 { try littleEndian() }

    /// The next `Value.bitWidth / 8` bytes as a little-endian unsigned integer.
    private mutating func littleEndian<Value: FixedWidthInteger & UnsignedInteger>() throws -> Value {
        let size = Value.bitWidth / 8
        guard bytes.count - at >= size else { throw WireError() }
        var v: Value = 0
        for i in 0..<size { v |= Value(bytes[at + i]) << (8 * i) }
        at += size
        return v
    }

    mutating func blob() throws -> ArraySlice<UInt8> {
        let n = Int(try u32())
        guard bytes.count - at >= n else { throw WireError() }
        defer { at += n }
        return bytes[at..<at + n]
    }

    mutating func string() throws -> String { String(decoding: try blob(), as: UTF8.self) }

    /// Strings that are not valid UTF-8 and non-finite numbers are kept out of the value (as U+FFFD
    /// and null) and recorded in `refused`, so the caller can refuse the whole value with its path while
    /// still reading the rest of the frame. Of several, the one with the least (path, bytes) is kept, so
    /// the message does not depend on the order Lua happened to iterate the table in.
    private(set) var refused: SandboxValueError?
    private var refusedOrder: [UInt8] = []

    mutating func value(root: String = "result") throws -> SandboxValue {
        var path: [JSONPath.Component] = []
        return try value(depth: 0, root: root, path: &path)
    }

    private mutating func refuse(
        _ reason: String, root: String, path: [JSONPath.Component], bytes: some Collection<UInt8> = [UInt8]()
    ) {
        let described = JSONPath(path).described(under: root)
        let order = Array(described.utf8) + [0] + Array(bytes)
        guard refused == nil || order.lexicographicallyPrecedes(refusedOrder) else { return }
        refused = SandboxValueError(path: described, reason: reason)
        refusedOrder = order
    }

    private mutating func value(depth: Int, root: String, path: inout [JSONPath.Component]) throws -> SandboxValue {
        guard depth <= 70 else { throw WireError() }
        switch try u8() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(Int64(bitPattern: try u64()))
        case 4:
            let number = Double(bitPattern: try u64())
            guard number.isFinite else {
                refuse("\(number) is not a JSON number", root: root, path: path)
                return .null
            }
            return .double(number)
        case 5:
            let bytes = try blob()
            guard let key = JSONKey(bytes: bytes) else {
                refuse("not valid UTF-8", root: root, path: path)
                return .string(String(decoding: bytes, as: UTF8.self))
            }
            return .string(key.string)
        case 6:
            let n = Int(try u32())
            guard n <= bytes.count - at else { throw WireError() }
            var items: [SandboxValue] = []
            items.reserveCapacity(n)
            for index in 0..<n {
                path.append(.index(index))
                items.append(try value(depth: depth + 1, root: root, path: &path))
                path.removeLast()
            }
            return .array(items)
        case 7:
            let n = Int(try u32())
            guard n <= bytes.count - at else { throw WireError() }
            var integerKeyed: [(JSONKey, SandboxValue)] = []
            var fields: [JSONKey: SandboxValue] = [:]
            for _ in 0..<n {
                let key: JSONKey
                var isInteger = false
                switch try u8() {
                case 3:
                    key = JSONKey(String(Int64(bitPattern: try u64())))
                    isInteger = true
                case 5:
                    let bytes = try blob()
                    if let valid = JSONKey(bytes: bytes) {
                        key = valid
                    } else {
                        let hex = bytes.map { String($0, radix: 16) }.joined(separator: " ")
                        refuse("a key is not valid UTF-8 (bytes \(hex))", root: root, path: path, bytes: bytes)
                        key = JSONKey(String(decoding: bytes, as: UTF8.self))
                    }
                default: throw WireError()
                }
                path.append(.key(key))
                let member = try value(depth: depth + 1, root: root, path: &path)
                path.removeLast()
                if isInteger {
                    integerKeyed.append((key, member))
                } else if fields.updateValue(member, forKey: key) != nil, refused == nil {
                    throw WireError()  // a Lua table cannot hold one string key twice
                }
            }
            // JSON keys are strings: an integer key yields to a string key with the same text.
            for (key, member) in integerKeyed where fields[key] == nil { fields[key] = member }
            return .object(fields)
        default: throw WireError()
        }
    }
}
