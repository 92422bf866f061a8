/// The opening every sandboxed program of the engine shares: read the request, and build `view`, the
/// instance's stored attributes plus each `sl:computed` attribute evaluated on a copy of them.
///
/// Transitions, effect requests and interfaces all see attributes this way; their programs append
/// their own tail (load the author's body by name, call it) after this text.
enum AttributeViewPrelude {
    static let text = """
        local request = host.input()
        local stored = request.attributes
        local view = {}
        for name, value in pairs(stored) do view[name] = value end
        for _, computed in ipairs(request.computed) do
          local body, problem = load(computed[2], "=computed " .. computed[1], "t")
          if not body then error(problem, 0) end
          local copy = {}
          for name, value in pairs(stored) do copy[name] = value end
          view[computed[1]] = body(request.state, copy)
        end
        """
}
