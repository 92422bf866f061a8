import TokenScriptArithmetic

/// What a cached interface answer is keyed by: the instance, the journal position its state was read at, the
/// interface and the canonical JSON of the arguments, every text as its exact UTF-8 bytes. Never Swift
/// `String`s: two strings that differ only in Unicode normalisation compare equal as `String`s, while the Lua
/// interface sees (and may answer) their different bytes.
struct InterfaceCacheKey: Hashable, Sendable {
    let instance: [UInt8]
    let position: UInt64
    let interface: [UInt8]
    let arguments: [UInt8]

    func hash(into hasher: inout Hasher) {
        hasher.combine(byteString: instance)
        hasher.combine(position)
        hasher.combine(byteString: interface)
        hasher.combine(byteString: arguments)
    }

    init(instance: String, position: UInt64, interface: String, arguments: [UInt8]) {
        self.instance = Array(instance.utf8)
        self.position = position
        self.interface = Array(interface.utf8)
        self.arguments = arguments
    }
}

/// Read-only interface answers the node computed, so a repeated read costs a lookup instead of a sandbox run.
/// An interface is a pure function of the instance at a journal position and the arguments, so an answer
/// keyed by that position never goes stale: a new step moves the position and the old entries simply stop
/// being asked for. Bounded to `capacity` entries; when full, the oldest inserted entry makes room (entries of
/// old positions are the oldest, so they go first).
struct InterfaceAnswerCache: Sendable {
    let capacity: Int
    private var answers: [InterfaceCacheKey: InterfaceAnswer] = [:]
    /// Insertion order, as a ring over `capacity` slots: `order[next]` is the oldest key once the ring is full.
    private var order: [InterfaceCacheKey] = []
    private var next = 0

    init(capacity: Int) {
        precondition(capacity > 0, "an interface answer cache needs room for at least one answer")
        self.capacity = capacity
        answers.reserveCapacity(capacity)
        order.reserveCapacity(capacity)
    }

    var count: Int { answers.count }

    func answer(for key: InterfaceCacheKey) -> InterfaceAnswer? { answers[key] }

    mutating func insert(_ answer: InterfaceAnswer, for key: InterfaceCacheKey) {
        guard answers.updateValue(answer, forKey: key) == nil else { return }
        if order.count < capacity {
            order.append(key)
            return
        }
        answers.removeValue(forKey: order[next])
        order[next] = key
        next = (next + 1) % capacity
    }
}
