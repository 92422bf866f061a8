extension ServerExtensionSchema {
    /// The XSD of `https://swift-tokenscript.org/server/1`: `Schemas/tokenscript-server-1.xsd` byte for byte,
    /// compiled into the binary by SwiftPM (`.embedInCode`), so `validate` needs no file at run time and there is
    /// no second copy to keep in step.
    public static let text = String(decoding: PackageResources.tokenscript_server_1_xsd, as: UTF8.self)
}
