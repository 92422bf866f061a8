import TokenScriptModel
import TokenScriptRuntime

extension TopicTemplate {
    /// The pattern an instance listens to now: `${name}` filled from its stored attributes (strings as is,
    /// integers in decimal), or nil when one is unset, of another type, or not renderable
    /// (`TopicTemplate.isRenderable`). The engine matches with this and the cluster subscribes with it, so a
    /// node receives exactly what the instance can fire on.
    public func rendered(attributes: [String: SandboxValue]) -> TopicPattern? {
        rendered { name in
            switch attributes[name] {
            case .string(let text)?: .string(text)
            case .int(let number)?: .integer(number)
            default: nil
            }
        }
    }
}
