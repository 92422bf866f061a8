import Crypto
import Foundation
import TokenScriptArithmetic
import TokenScriptDocument
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptNode

/// Loads the TokenScripts a node hosts, the one place the node's documents are read: each file is read as
/// `dry-run` reads it, its server extension prepared with the node's key as executor and anchor
/// (`ExecutorTrust.prepare`, as every node of a deployment prepares it), and hashed (SHA-256 of the bytes).
package enum NodeScripts {
    /// The hosted scripts, named by their file's base name; refused naming the file when one cannot host.
    /// - Parameters:
    ///   - peerKeys: the other nodes of the network (`--executor-key`), trusted as executors like this node,
    ///     so an effect outcome another node executed is accepted here too.
    ///   - anchorKey: the anchoring node's key (`--anchor-key`), trusted for the outcomes it routes; nil trusts
    ///     this node's own key (a single node is its own anchor).
    package static func load(
        _ paths: [String], nodeKey: String, peerKeys: [String] = [], anchorKey: String? = nil
    ) throws -> [HostedScript] {
        var executors = [(name: ExecutorTrust.defaultExecutorName, key: nodeKey)]
        for (index, key) in peerKeys.filter({ $0 != nodeKey }).enumerated() {
            executors.append((name: "\(ExecutorTrust.defaultExecutorName)-\(index + 1)", key: key))
        }
        var scripts: [HostedScript] = []
        for path in paths {
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw NodeConfigurationError(field: "scripts", message: "cannot read \(path)")
            }
            let loaded: LoadedTokenScript
            do throws(TokenScriptReadError) { loaded = try TokenScriptReader.read(file: path) } catch {
                throw NodeConfigurationError(field: "scripts", message: "\(path): \(error.description)")
            }
            if loaded.hasErrors {
                throw NodeConfigurationError(
                    field: "scripts", message: loaded.errors.map(\.description).joined(separator: "\n"))
            }
            guard let server = loaded.tokenScript.server else {
                throw NodeConfigurationError(field: "scripts", message: "\(path): no sl:server extension")
            }
            let prepared = ExecutorTrust.prepare(server, executors: executors, anchor: anchorKey ?? nodeKey)
            let definition: TokenDefinition
            do throws(TokenDefinition.Invalid) {
                definition = try TokenDefinition(name: loaded.tokenScript.name ?? "", server: prepared)
            } catch {
                throw NodeConfigurationError(field: "scripts", message: "\(path): \(error.description)")
            }
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            guard !scripts.contains(where: { $0.name == name }) else {
                throw NodeConfigurationError(field: "scripts", message: "two scripts are named \(name)")
            }
            scripts.append(
                HostedScript(
                    name: name, definition: definition, environment: loaded.tokenScript.environment(),
                    scriptHash: Hex.encode(Array(SHA256.hash(data: bytes)), prefix: false)))
        }
        return try markFollowed(scripts)
    }

    /// Marks the scripts some hosted script follows (`sl:follow token=`), whose executors publish changes;
    /// refused when a follow names a token no hosted script defines (its changes would never come).
    static func markFollowed(_ scripts: [HostedScript]) throws -> [HostedScript] {
        let tokens = Set(scripts.map(\.definition.tokenScriptName))
        var followed: Set<String> = []
        for script in scripts {
            for follow in script.definition.server.follows {
                guard tokens.contains(follow.token) else {
                    let line = follow.location.map { " (line \($0.line))" } ?? ""
                    throw NodeConfigurationError(
                        field: "scripts",
                        message: "\(script.name): sl:follow '\(follow.name)'\(line) follows token '\(follow.token)', "
                            + "which no hosted script defines (hosted: "
                            + tokens.sorted().joined(separator: ", ") + ")")
                }
                followed.insert(follow.token)
            }
        }
        return scripts.map { script in
            var marked = script
            marked.followed = followed.contains(script.definition.tokenScriptName)
            return marked
        }
    }
}
