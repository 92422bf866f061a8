import TokenScriptModel

/// The filter grammar: any text is an expression or a `FilterSyntaxError`.
enum FilterFuzzing {
    static func run(_ bytes: [UInt8]) {
        _ = try? FilterParser.parse(FuzzTarget.text(bytes))
    }
}
