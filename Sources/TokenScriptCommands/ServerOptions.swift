import ArgumentParser
import TokenScriptArithmetic
import TokenScriptHTTPServer
import TokenScriptNode

/// The flags both server commands (`node`, `anchor`) take: a config file, and the listen address, data
/// directory, name and key that override its fields. Resolved here once, so the two servers agree on what
/// each means and on how a flag beats the file.
struct ServerOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: "A JSON config file whose fields are the long flags' names (the command's discussion lists them).")
    var configFile: String?

    @Option(help: "HOST:PORT to listen on; port 0 takes a free port.")
    var listen: String?

    @Option(help: "The data directory, holding the server's SQLite store; created when missing.")
    var data: String?

    @Option(help: "The server's name, in logs and on /health.")
    var name: String?

    @Option(help: "The server's ed25519 key file, from `tokenscript keys new`; it signs what the server states.")
    var key: String?

    init() {}

    /// The settings both servers share, each from its flag, else the config file's field, else the default.
    struct Resolved {
        var host: String
        var port: Int
        var dataDirectory: String
        var name: String
        /// The ed25519 key file, when one is given: its public key, and its seed to sign with.
        var key: (issuerKey: String, seed: [UInt8])?
    }

    /// Resolves the shared settings; `file` holds the config file's values of the same fields.
    /// - Throws: an error naming the field: no data directory, a bad listen address, a key file that is
    ///   unreadable or not ed25519.
    func resolve(
        file: (listen: String?, data: String?, name: String?, key: String?)?, defaultListen: String,
        defaultName: String, server: String
    ) throws -> Resolved {
        let listen = try NodeConfiguration.listenAddress(self.listen ?? file?.listen ?? defaultListen)
        guard let data = self.data ?? file?.data, !data.isEmpty else {
            throw ServerConfigurationError(
                field: "data", message: "required: --data DIR or \"data\" in the config file")
        }
        var key: (issuerKey: String, seed: [UInt8])?
        if let path = self.key ?? file?.key {
            let keyFile = try KeyFile.read(path)
            guard let seed = keyFile.ed25519Seed else {
                throw ServerConfigurationError(
                    field: "key", message: "\(server) signs with ed25519, not \(keyFile.scheme)")
            }
            key = (keyFile.issuerKey, seed)
        }
        return Resolved(
            host: listen.host, port: listen.port, dataDirectory: data, name: name ?? file?.name ?? defaultName, key: key
        )
    }
}
