import Foundation
import Core

/// A problem a template has with one attendee, found before anything is sent.
public struct TemplateProblem: Sendable, Equatable, CustomStringConvertible {
    /// "subject", or the template's path relative to the workspace.
    public var template: String
    public var line: Int
    public var field: String
    public var attendeeID: String
    public var reason: String
    public init(template: String, line: Int, field: String, attendeeID: String, reason: String) {
        self.template = template
        self.line = line
        self.field = field
        self.attendeeID = attendeeID
        self.reason = reason
    }
    public var description: String { "\(template):\(line): {{\(field)}}: \(reason) (attendee \(attendeeID))" }
}

/// Rendering stopped because an attendee lacks a field a template uses.
public struct TemplateRenderError: UserFacingError, Equatable {
    /// Every problem, in template order (subject, text, HTML).
    public var problems: [TemplateProblem]
    public var exitCode: ExitCode { .dataError }
    public var description: String {
        guard let first = problems.first else { return "template problem" }
        return problems.count == 1 ? first.description : "\(first.description) (and \(problems.count - 1) more)"
    }
}

/// Subject, text and optional HTML rendered for one attendee.
public struct RenderedMail: Sendable, Equatable {
    public var subject: String
    public var text: String
    public var html: String?
    public init(subject: String, text: String, html: String?) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// The workspace's compiled Mustache templates (`[templates]`), strict about missing fields.
///
/// Strict means: interpolating a field (`{{company}}`) that this attendee does
/// not have, or has empty, is a problem — so nobody gets "Dear ,". Sections
/// are how optional fields are written: `{{#company}}at {{company}}{{/company}}`
/// renders nothing for an empty or absent company and is never a problem.
public struct MailTemplates: Sendable {
    let subject: CompiledTemplate
    let text: CompiledTemplate
    let html: CompiledTemplate?
    let event: PassmailConfig.Event

    /// Loads and compiles; syntax errors name the template file and line.
    public init(workspace: Workspace) throws {
        let t = workspace.config.templates
        func load(_ path: String, key: String) throws -> String {
            let url = workspace.resolve(path)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                let exists = FileManager.default.fileExists(atPath: url.path)
                throw PassmailError.noInput("\(url.path): \(exists ? "cannot read" : "not found") (set by [templates] \(key) in passmail.toml)")
            }
            guard var s = String(data: data, encoding: .utf8) else {
                throw PassmailError.data("\(path): not valid UTF-8 (save the template as UTF-8)")
            }
            if s.hasPrefix("\u{FEFF}") { s.removeFirst() }
            return s
        }
        let textSource = try load(t.text, key: "text")
        let htmlSource = try t.html.map { try load($0, key: "html") }
        try self.init(subject: t.subject, text: textSource, html: htmlSource, event: workspace.config.event,
                      textName: t.text, htmlName: t.html ?? "html")
    }

    /// Compiles templates given as strings (tests, benchmarks, previews of unsaved edits).
    public init(subject: String, text: String, html: String? = nil, event: PassmailConfig.Event = PassmailConfig().event,
                textName: String = "text", htmlName: String = "html") throws {
        do { self.subject = try CompiledTemplate(name: "subject", source: subject, escapesHTML: false) } catch var e as MustacheSyntaxError {
            // The subject lives in passmail.toml, not in a file of its own: say so.
            e.template = "passmail.toml [templates] subject"
            throw e
        }
        self.text = try CompiledTemplate(name: textName, source: text, escapesHTML: false)
        self.html = try html.map { try CompiledTemplate(name: htmlName, source: $0, escapesHTML: true) }
        self.event = event
    }

    /// Every problem rendering this attendee would hit (empty when fine).
    public func check(_ attendee: Attendee, passCode: String) -> [TemplateProblem] {
        let context = TemplateContext.make(attendee: attendee, event: event, passCode: passCode)
        var problems: [TemplateProblem] = []
        for template in [subject, text] + (html.map { [$0] } ?? []) {
            let misses = template.misses(context)
            if !misses.isEmpty { problems += self.problems(misses, in: template, attendee: attendee, context: context) }
        }
        return problems
    }

    /// Renders; throws the first problem if any.
    public func render(_ attendee: Attendee, passCode: String) throws -> RenderedMail {
        let (mail, problems) = renderAll(attendee, passCode: passCode)
        if !problems.isEmpty { throw TemplateRenderError(problems: problems) }
        return mail
    }

    /// A short hash of the template sources, for the run fingerprint.
    ///
    /// FNV-1a (64 bit) over the three sources with their lengths: it only has
    /// to notice that a template changed between runs, not resist an attacker.
    public var fingerprint: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in [subject.source, text.source, html?.source ?? "\u{0}none"] {
            for byte in "\(part.utf8.count):".utf8 + Array(part.utf8) {
                h ^= UInt64(byte)
                h = h &* 0x0000_0100_0000_01B3
            }
        }
        return String(h, radix: 16).leftPadded(to: 16)
    }

    private func renderAll(_ attendee: Attendee, passCode: String) -> (RenderedMail, [TemplateProblem]) {
        let context = TemplateContext.make(attendee: attendee, event: event, passCode: passCode)
        var problems: [TemplateProblem] = []
        func collect(_ template: CompiledTemplate, _ misses: [MustacheMiss]) {
            if !misses.isEmpty { problems += self.problems(misses, in: template, attendee: attendee, context: context) }
        }
        let s = subject.render(context); collect(subject, s.misses)
        let t = text.render(context); collect(text, t.misses)
        let h = html.map { $0.render(context) }
        if let html, let h { collect(html, h.misses) }
        return (RenderedMail(subject: Self.oneLine(s.text), text: t.text, html: h?.text), problems)
    }

    private func problems(_ misses: [MustacheMiss], in template: CompiledTemplate, attendee: Attendee,
                          context: MustacheValue) -> [TemplateProblem] {
        var names: [String]?
        return misses.map { miss in
            let reason: String
            switch miss.kind {
            case .empty:
                reason = "empty for this attendee; make it optional with {{#\(miss.field)}}…{{/\(miss.field)}}"
            case .absent:
                if names == nil { names = TemplateContext.knownNames(in: context) }
                reason = "no such field" + Self.suggestion(for: miss.field, among: names!)
            }
            return TemplateProblem(template: template.name, line: miss.line, field: miss.field,
                                   attendeeID: attendee.id, reason: reason)
        }
    }

    /// A subject is one line: any run of whitespace (incl. CR/LF from a field) becomes one space.
    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace || $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } })
            .joined(separator: " ")
    }

    static func suggestion(for field: String, among names: [String]) -> String {
        let lower = field.lowercased()
        let best = names.map { ($0, editDistance($0.lowercased(), lower)) }.min { $0.1 < $1.1 }
        if let best, best.1 <= max(2, field.count / 3) { return " (did you mean {{\(best.0)}}?)" }
        if let snake = Optional(TemplateContext.snakeCase(field)), names.contains(snake) { return " (did you mean {{\(snake)}}?)" }
        return "; available: " + names.filter { !$0.contains(" ") }.prefix(12).joined(separator: ", ")
    }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    for i in 1...a.count {
        var cur = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[b.count]
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
