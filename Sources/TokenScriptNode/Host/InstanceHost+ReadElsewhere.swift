import TokenScriptCluster

extension InstanceHost {
    /// Network only: the URL of a healthy host of `id` other than this node, picked at random among the
    /// instance's hosts (the anchor's placement, the URLs of the last membership poll), or nil (a single node,
    /// no other healthy host, an instance not announced yet, or the anchor unreachable). A read sent to a node
    /// that does not host the instance is redirected there (307), so an integrator may send reads to any node
    /// and they spread over the hosts.
    public func readElsewhere(_ id: String) async -> String? {
        // Only instances announced on `instances`: a read of an id nobody created costs no request to the anchor.
        guard case .anchored(let network) = seat, hosted[id] == nil, placementState.known.contains(id) else {
            return nil
        }
        let replicas = placementState.replicas ?? network.replicas
        guard let hosts = try? await network.placement.hostingNodes(for: id, replicas: replicas) else { return nil }
        let urls = hosts.filter { $0.id != nodeName }.compactMap { memberURLs[$0.id] }
        return urls.randomElement()
    }
}
