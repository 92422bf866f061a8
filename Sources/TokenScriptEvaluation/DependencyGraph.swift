import TokenScriptModel

/// Which attributes each attribute reads, across the token and every card, with its cycles.
///
/// Built once per TokenScript. No reference runtime detects cycles (engine-js would recurse until the
/// stack or its promises give out); here every attribute on a cycle fails with the cycle's names.
public struct DependencyGraph: Sendable {
    /// Every attribute, token scope first, then each card's, in document order.
    public let attributes: [AttributeKey]
    /// Direct dependencies of each attribute, in the order its origin names them.
    public let dependencies: [AttributeKey: [DependencyNode]]
    /// The attributes each token-level selection reads (compared or interpolated).
    public let selectionDependencies: [String: [DependencyNode]]
    /// Strongly connected groups that form cycles (a self-reference counts), each in document order.
    public let cycles: [[AttributeKey]]
    /// Attributes in an order where each comes after everything it reads; attributes on or behind a cycle are left out.
    public let order: [AttributeKey]

    /// The definitions behind the keys.
    let index: AttributeIndex

    public init(_ script: TokenScript) {
        let index = AttributeIndex(script)
        self.index = index
        attributes = index.keys
        var dependencies: [AttributeKey: [DependencyNode]] = [:]
        for key in attributes { dependencies[key] = ReferenceResolver.dependencies(of: key, in: index) }
        self.dependencies = dependencies
        var selections: [String: [DependencyNode]] = [:]
        for selection in script.selections {
            selections[selection.name] = (selection.filter?.referencedAttributes ?? []).map {
                ReferenceResolver.resolve($0, local: false, from: .token, in: index)
            }
        }
        selectionDependencies = selections
        cycles = CycleFinder(attributes: attributes, dependencies: dependencies).cycles()
        order = Self.topologicalOrder(attributes, dependencies)
    }

    /// The attributes `key` reads directly.
    public func attributeDependencies(of key: AttributeKey) -> [AttributeKey] {
        (dependencies[key] ?? []).compactMap { if case .attribute(let dependency) = $0 { dependency } else { nil } }
    }

    /// A cycle through `key`, starting and ending with it, or nil when `key` is on none.
    public func cycle(through key: AttributeKey) -> [AttributeKey]? {
        guard let group = cycles.first(where: { $0.contains(key) }) else { return nil }
        // Breadth-first inside the group gives the shortest way back to `key`.
        let members = Set(group)
        var previous: [AttributeKey: AttributeKey] = [:]
        var queue = [key]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for next in attributeDependencies(of: current) where members.contains(next) {
                if next == key {
                    var path = [key]
                    var step = current
                    while step != key {
                        path.append(step)
                        step = previous[step]!
                    }
                    let back: [AttributeKey] = Array(path[1...])
                    return [key] + Array(back.reversed()) + [key]
                }
                if previous[next] == nil {
                    previous[next] = current
                    queue.append(next)
                }
            }
        }
        return [key, key]
    }

    /// Every attribute that reads `node`, directly or through others: what must be recomputed when it changes.
    public func dependents(of node: DependencyNode) -> Set<AttributeKey> {
        var readers: [DependencyNode: [AttributeKey]] = [:]
        for key in attributes {
            for dependency in dependencies[key] ?? [] { readers[dependency, default: []].append(key) }
        }
        var result = Set<AttributeKey>()
        var pending = readers[node] ?? []
        while let key = pending.popLast() {
            guard result.insert(key).inserted else { continue }
            pending += readers[.attribute(key)] ?? []
        }
        return result
    }

    /// Dependents of an input named as the user or host knows it: a special ref (`tokenId`), a user entry,
    /// or an attribute of any scope; the attributes of that name are included.
    public func dependents(ofInput name: String) -> Set<AttributeKey> {
        var result = dependents(of: .special(name)).union(dependents(of: .userInput(name)))
        for key in attributes where key.name == name {
            result.insert(key)
            result.formUnion(dependents(of: .attribute(key)))
        }
        return result
    }

    /// Kahn's algorithm over attribute edges; what is left is on or behind a cycle.
    private static func topologicalOrder(_ keys: [AttributeKey], _ dependencies: [AttributeKey: [DependencyNode]])
        -> [AttributeKey]
    {
        var remaining: [AttributeKey: Int] = [:]
        var readers: [AttributeKey: [AttributeKey]] = [:]
        for key in keys {
            let inputs = Set(
                (dependencies[key] ?? []).compactMap { if case .attribute(let input) = $0 { input } else { nil } })
            remaining[key] = inputs.count
            for input in inputs { readers[input, default: []].append(key) }
        }
        var ready = keys.filter { remaining[$0] == 0 }
        var order: [AttributeKey] = []
        var head = 0
        while head < ready.count {
            let key = ready[head]
            head += 1
            order.append(key)
            for reader in readers[key] ?? [] {
                remaining[reader]! -= 1
                if remaining[reader] == 0 { ready.append(reader) }
            }
        }
        return order
    }
}
