import TokenScriptModel

/// Walks a `ts:data ref="attr.a.b[0]"` path into a structured value (engine-js uses lodash `get`).
enum ValuePath {
    static func value(at path: AttributePath, in root: AttributeValue) throws(EvaluationError.Reason) -> AttributeValue
    {
        var current = root
        var walked = path.attribute
        for component in path.components {
            switch component {
            case .key(let key):
                walked += ".\(key)"
                if let next = current[field: key] {
                    current = next
                } else if let index = Int(key), let next = current[index: index] {
                    current = next  // lodash reads `a.0` like `a[0]`
                } else {
                    throw .conversion("path \(walked) does not exist in \(root.json)")
                }
            case .index(let index):
                walked += "[\(index)]"
                guard let next = current[index: index] else {
                    throw .conversion("path \(walked) does not exist in \(root.json)")
                }
                current = next
            }
        }
        return current
    }
}
