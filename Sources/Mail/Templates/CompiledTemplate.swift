import Foundation

/// One compiled template (subject, text body or HTML body) and how to render it.
struct CompiledTemplate: Sendable {
    /// "subject", or the path as written in `passmail.toml`.
    var name: String
    var source: String
    var nodes: [MustacheNode]
    /// HTML bodies escape `{{field}}`; subject and text never do.
    var escapesHTML: Bool

    init(name: String, source: String, escapesHTML: Bool) throws {
        self.name = name
        self.source = source
        self.escapesHTML = escapesHTML
        self.nodes = try MustacheParser.parse(source, template: name)
    }

    /// Renders strictly; misses are returned rather than thrown so all can be reported.
    func render(_ context: MustacheValue) -> (text: String, misses: [MustacheMiss]) {
        var r = MustacheRenderer(escapeHTML: escapesHTML, strict: true)
        let text = r.render(nodes, context: context)
        return (text, r.misses)
    }

    /// The misses alone, without building the text.
    func misses(_ context: MustacheValue) -> [MustacheMiss] {
        var r = MustacheRenderer(escapeHTML: escapesHTML, strict: true, producesText: false)
        _ = r.render(nodes, context: context)
        return r.misses
    }
}

/// Renders a Mustache template with the spec's lenient semantics (missing names render empty).
///
/// For conformance tests and tools; passmail's mail always goes through the
/// strict `MailTemplates`.
public struct MustacheTemplate: Sendable {
    let nodes: [MustacheNode]
    public init(_ source: String, name: String = "template") throws {
        nodes = try MustacheParser.parse(source, template: name)
    }
    public func render(_ context: MustacheValue, escapeHTML: Bool = true) -> String {
        var r = MustacheRenderer(escapeHTML: escapeHTML, strict: false)
        return r.render(nodes, context: context)
    }
}
