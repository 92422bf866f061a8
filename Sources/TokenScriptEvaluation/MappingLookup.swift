import TokenScriptModel

/// `ts:mapping`: the origin's output, as text, picks an option; the option's text in the best language wins.
enum MappingLookup {
    /// The mapped text, or nil when no option has the key.
    ///
    /// Keys match exactly first; then integers match by number (`01` finds `1`) and addresses
    /// without regard to case, since authors write keys by hand.
    static func text(for value: AttributeValue, in mapping: Mapping, languages: [String]) -> String? {
        let key = value.text
        if let text = mapping.value(forKey: key, preferring: languages) { return text }
        let option = mapping.options.first { option in
            switch value {
            case .integer(let number): IntegerText.parse(option.key.trimmingWhitespace) == number
            case .address(let address): LenientAddress.parse(option.key) == address
            case .bool(let flag): BooleanText.parse(option.key.trimmingWhitespace) == flag
            default: false
            }
        }
        return option?.value.text(preferring: languages)
    }
}
