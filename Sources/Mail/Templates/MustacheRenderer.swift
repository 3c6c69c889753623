import Foundation

/// A field a strict render could not fill, with where the tag is.
struct MustacheMiss: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// No such name anywhere in the context.
        case absent
        /// The name exists but its value is empty (or null).
        case empty
    }
    var field: String
    var line: Int
    var kind: Kind
}

/// Renders compiled nodes against a context stack (Mustache spec semantics).
///
/// Lenient mode renders a missing name as nothing (the spec's behaviour);
/// strict mode also records every miss so passmail can refuse to send
/// "Dear ," to anyone. Rendering never stops at the first miss: `passmail
/// check` reports all of them at once.
struct MustacheRenderer {
    var escapeHTML: Bool
    var strict: Bool
    /// false: only walk and collect misses (what `check` needs, several times faster).
    var producesText = true
    private(set) var misses: [MustacheMiss] = []

    init(escapeHTML: Bool, strict: Bool, producesText: Bool = true) {
        self.escapeHTML = escapeHTML
        self.strict = strict
        self.producesText = producesText
    }

    mutating func render(_ nodes: [MustacheNode], context: MustacheValue) -> String {
        var out = ""
        var stack = [context]
        render(nodes, stack: &stack, into: &out)
        return out
    }

    private mutating func render(_ nodes: [MustacheNode], stack: inout [MustacheValue], into out: inout String) {
        for node in nodes {
            switch node {
            case .text(let t):
                if producesText { out += t }
            case .variable(let name, let escaped, let line):
                let value = Self.lookUp(name, in: stack)
                if strict {
                    switch value {
                    case nil: misses.append(MustacheMiss(field: name.text, line: line, kind: .absent))
                    case .some(.null): misses.append(MustacheMiss(field: name.text, line: line, kind: .empty))
                    case .some(.string(let s)) where s.isEmpty: misses.append(MustacheMiss(field: name.text, line: line, kind: .empty))
                    default: break
                    }
                }
                guard producesText else { continue }
                let text = value?.interpolated ?? ""
                out += (escaped && escapeHTML) ? Self.escape(text) : text
            case .section(let name, let inverted, _, let children):
                let value = Self.lookUp(name, in: stack)
                if inverted {
                    if !(value?.isTruthy ?? false) { render(children, stack: &stack, into: &out) }
                    continue
                }
                guard let value, value.isTruthy else { continue }
                switch value {
                case .list(let items):
                    for item in items {
                        stack.append(item)
                        render(children, stack: &stack, into: &out)
                        stack.removeLast()
                    }
                case .bool:
                    render(children, stack: &stack, into: &out)
                default:
                    stack.append(value)
                    render(children, stack: &stack, into: &out)
                    stack.removeLast()
                }
            }
        }
    }

    /// Resolves `name` (".", "a", "a.b.c") against the context stack, innermost first.
    ///
    /// Per the spec, only the first part of a dotted name searches the stack;
    /// the rest must resolve inside what it found, otherwise it is a miss.
    static func lookUp(_ name: MustacheName, in stack: [MustacheValue]) -> MustacheValue? {
        let parts = name.parts
        if parts.isEmpty { return stack.last }
        for context in stack.reversed() {
            guard var value = context[parts[0]] else { continue }
            for part in parts.dropFirst() {
                guard let next = value[part] else { return nil }
                value = next
            }
            return value
        }
        return nil
    }

    /// HTML escaping for `{{name}}` in HTML templates: & < > " and '.
    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
