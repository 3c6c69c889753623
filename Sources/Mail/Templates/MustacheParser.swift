import Foundation
import Core

/// One piece of a compiled Mustache template.
indirect enum MustacheNode: Sendable, Equatable {
    case text(String)
    /// `{{name}}` (escaped in HTML) or `{{{name}}}` / `{{& name}}` (never escaped).
    case variable(MustacheName, escaped: Bool, line: Int)
    /// `{{#name}}…{{/name}}`, or `{{^name}}…{{/name}}` when inverted.
    case section(MustacheName, inverted: Bool, line: Int, children: [MustacheNode])
}

/// A tag's name, split at its dots once at compile time rather than on every render.
struct MustacheName: Sendable, Equatable {
    /// As written, e.g. "event.name"; "." is the implicit iterator.
    var text: String
    var parts: [String]
    init(_ text: String) {
        self.text = text
        parts = text == "." ? [] : text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
}

/// A template that cannot be compiled: names the template, the line and what is wrong.
public struct MustacheSyntaxError: UserFacingError, Equatable {
    /// "subject", or the template's path as written in `passmail.toml`.
    public var template: String
    public var line: Int
    public var reason: String
    public var exitCode: ExitCode { .dataError }
    public var description: String { "\(template):\(line): \(reason)" }
}

/// Compiles Mustache source into nodes, applying the spec's standalone-line rules.
///
/// Works on UTF-8 bytes: tags are ASCII, and byte offsets make "\r\n" and the
/// standalone rules simple (Swift's `Character` would treat "\r\n" as one).
/// Supports interpolation, sections, inverted sections, comments and
/// set-delimiter; partials are refused with a clear error.
enum MustacheParser {
    private static let newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    static func parse(_ source: String, template: String) throws -> [MustacheNode] {
        let b = Array(source.utf8)
        var open = Array("{{".utf8), close = Array("}}".utf8)
        var pos = 0
        // Line counting is incremental: lines before `countedTo` are in `line`.
        var line = 1, countedTo = 0
        func lineAt(_ i: Int) -> Int {
            while countedTo < i { if b[countedTo] == newline { line += 1 }; countedTo += 1 }
            return line
        }
        struct Frame { var name: String; var inverted: Bool; var line: Int; var children: [MustacheNode] }
        var stack: [Frame] = []
        var current: [MustacheNode] = []
        func fail(_ at: Int, _ reason: String) -> MustacheSyntaxError {
            MustacheSyntaxError(template: template, line: lineAt(at), reason: reason)
        }
        func checkName(_ name: String, _ at: Int) throws {
            if name.isEmpty { throw fail(at, "empty tag: put a field name between the braces") }
            if name != ".", name.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
                throw fail(at, "\"\(name)\" is not a field name (empty part between dots)")
            }
            if name.contains(where: { $0 == "{" || $0 == "}" }) {
                throw fail(at, "\"\(name)\" is not a field name (stray brace)")
            }
        }
        func appendText(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            current.append(.text(String(decoding: b[range], as: UTF8.self)))
        }

        while pos < b.count {
            guard let tagStart = find(open, in: b, from: pos) else { appendText(pos..<b.count); pos = b.count; break }
            let tagLine = lineAt(tagStart)
            var i = tagStart + open.count
            var kind: UInt8 = 0
            let contentStart: Int, contentEnd: Int, tagEnd: Int
            if i < b.count, b[i] == UInt8(ascii: "{") {
                kind = UInt8(ascii: "{")
                guard let end = find([UInt8(ascii: "}")] + close, in: b, from: i + 1) else {
                    throw fail(tagStart, "\(opener(open))\u{7B} is never closed with }\(closer(close))")
                }
                contentStart = i + 1; contentEnd = end; tagEnd = end + 1 + close.count
            } else {
                if i < b.count, "#^/!=&>".utf8.contains(b[i]) { kind = b[i]; i += 1 }
                guard let end = find(close, in: b, from: i) else {
                    throw fail(tagStart, "tag \(opener(open)) is never closed with \(closer(close))")
                }
                contentStart = i; contentEnd = end; tagEnd = end + close.count
            }
            var content = String(decoding: b[contentStart..<contentEnd], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)

            // Standalone lines: a section, inverted, close, comment or delimiter tag
            // alone on its line (only spaces around) removes the whole line.
            var textEnd = tagStart, next = tagEnd
            if kind != 0, "#^/!=>".utf8.contains(kind) {
                var j = tagStart - 1
                while j >= pos, b[j] == space || b[j] == tab { j -= 1 }
                let startsLine = j < pos ? (pos == 0 || b[pos - 1] == newline) : b[j] == newline
                var k = tagEnd
                while k < b.count, b[k] == space || b[k] == tab { k += 1 }
                var lineEnd: Int?
                if k == b.count { lineEnd = k } else if b[k] == newline { lineEnd = k + 1 } else if b[k] == cr, k + 1 < b.count, b[k + 1] == newline { lineEnd = k + 2 }
                if startsLine, let lineEnd {
                    textEnd = j + 1
                    next = lineEnd
                }
            }
            appendText(pos..<textEnd)
            pos = next

            switch kind {
            case UInt8(ascii: "!"):
                continue
            case UInt8(ascii: "="):
                guard content.hasSuffix("=") else { throw fail(tagStart, "set-delimiter tag must end with =") }
                content.removeLast()
                let parts = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count == 2, !parts.contains(where: { $0.contains("=") }) else {
                    throw fail(tagStart, "set-delimiter tag needs two delimiters, e.g. {{=<% %>=}}")
                }
                open = Array(parts[0].utf8); close = Array(parts[1].utf8)
            case UInt8(ascii: ">"):
                throw fail(tagStart, "partials ({{> \(content)}}) are not supported; put the text in the template")
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                try checkName(content, tagStart)
                stack.append(Frame(name: content, inverted: kind == UInt8(ascii: "^"), line: tagLine, children: current))
                current = []
            case UInt8(ascii: "/"):
                guard let frame = stack.popLast() else {
                    throw fail(tagStart, "{{/\(content)}} closes a section that was never opened")
                }
                guard frame.name == content else {
                    throw fail(tagStart, "{{/\(content)}} does not match {{\(frame.inverted ? "^" : "#")\(frame.name)}} opened on line \(frame.line)")
                }
                let section = MustacheNode.section(MustacheName(frame.name), inverted: frame.inverted, line: frame.line, children: current)
                current = frame.children
                current.append(section)
            default:
                try checkName(content, tagStart)
                current.append(.variable(MustacheName(content), escaped: kind == 0, line: tagLine))
            }
        }
        if let open = stack.last {
            throw MustacheSyntaxError(template: template, line: open.line,
                                      reason: "{{\(open.inverted ? "^" : "#")\(open.name)}} is never closed with {{/\(open.name)}}")
        }
        return current
    }

    private static func opener(_ d: [UInt8]) -> String { String(decoding: d, as: UTF8.self) }
    private static func closer(_ d: [UInt8]) -> String { String(decoding: d, as: UTF8.self) }

    /// First index of `needle` in `hay` at or after `from`.
    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, hay.count >= needle.count else { return nil }
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < needle.count, hay[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
