/// Tarjan's strongly connected components, iterative so that a long chain of refs cannot exhaust the stack.
struct CycleFinder {
    let attributes: [AttributeKey]
    let dependencies: [AttributeKey: [DependencyNode]]

    /// Components with more than one attribute, or one that reads itself; members in document order.
    func cycles() -> [[AttributeKey]] {
        let indexOf = Dictionary(attributes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let edges: [[Int]] = attributes.map { key in
            (dependencies[key] ?? []).compactMap { if case .attribute(let next) = $0 { indexOf[next] } else { nil } }
        }
        var index = [Int](repeating: -1, count: attributes.count)
        var low = [Int](repeating: 0, count: attributes.count)
        var onStack = [Bool](repeating: false, count: attributes.count)
        var stack: [Int] = []
        var counter = 0
        var components: [[Int]] = []
        for root in attributes.indices where index[root] < 0 {
            // Each frame: the node and the position of the next edge to follow.
            var frames: [(node: Int, edge: Int)] = [(root, 0)]
            index[root] = counter
            low[root] = counter
            counter += 1
            stack.append(root)
            onStack[root] = true
            while let frame = frames.last {
                if frame.edge < edges[frame.node].count {
                    frames[frames.count - 1].edge += 1
                    let next = edges[frame.node][frame.edge]
                    if index[next] < 0 {
                        index[next] = counter
                        low[next] = counter
                        counter += 1
                        stack.append(next)
                        onStack[next] = true
                        frames.append((next, 0))
                    } else if onStack[next] {
                        low[frame.node] = min(low[frame.node], index[next])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last { low[parent.node] = min(low[parent.node], low[frame.node]) }
                if low[frame.node] == index[frame.node] {
                    var component: [Int] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component.append(member)
                        if member == frame.node { break }
                    }
                    components.append(component)
                }
            }
        }
        return
            components
            .filter { $0.count > 1 || edges[$0[0]].contains($0[0]) }
            .map { $0.sorted().map { attributes[$0] } }
            .sorted { indexOf[$0[0]]! < indexOf[$1[0]]! }
    }
}
