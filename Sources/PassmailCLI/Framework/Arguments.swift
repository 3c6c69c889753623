import Foundation
import Core

/// One option a command accepts, for parsing and for `--help`.
public struct OptionSpec: Sendable {
    public var name: String            // "--type"
    public var short: String?          // "-t"
    public var valueName: String?      // "T"; nil for a flag
    public var repeatable: Bool
    public var help: String

    public init(_ name: String, short: String? = nil, value: String? = nil, repeatable: Bool = false, help: String) {
        self.name = name
        self.short = short
        self.valueName = value
        self.repeatable = repeatable
        self.help = help
    }

    public var isFlag: Bool { valueName == nil }
}

/// The command line after parsing against a command's `OptionSpec`s.
public struct ParsedArguments: Sendable {
    public var values: [String: [String]] = [:]
    public var flags: Set<String> = []
    public var positionals: [String] = []

    public func flag(_ name: String) -> Bool { flags.contains(name) }
    /// The last value given for an option (later wins, as in most tools).
    public func option(_ name: String) -> String? { values[name]?.last }
    /// Every value of a repeatable option; comma-separated values are split.
    public func list(_ name: String) -> [String] {
        (values[name] ?? []).flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }

    public func int(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let s = option(name) else { return nil }
        guard let i = Int(s), range.contains(i) else {
            throw PassmailError.usage("\(name): expected a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(s)\"")
        }
        return i
    }

    /// Parses `argv` (without the command name). `--` ends options.
    public static func parse(_ argv: [String], specs: [OptionSpec], command: String) throws -> ParsedArguments {
        var result = ParsedArguments()
        var i = 0
        var onlyPositionals = false
        func spec(for token: String) -> OptionSpec? {
            specs.first { $0.name == token || ($0.short != nil && $0.short == token) }
        }
        while i < argv.count {
            let token = argv[i]
            i += 1
            if onlyPositionals || token == "-" || !token.hasPrefix("-") {
                result.positionals.append(token)
                continue
            }
            if token == "--" { onlyPositionals = true; continue }
            var name = token
            var inlineValue: String?
            if token.hasPrefix("--"), let eq = token.firstIndex(of: "=") {
                name = String(token[..<eq])
                inlineValue = String(token[token.index(after: eq)...])
            }
            guard let s = spec(for: name) else {
                let suggestion = specs.map(\.name).min { editDistance($0, name) < editDistance($1, name) }
                var msg = "\(command): unknown option \(name)"
                if let suggestion, editDistance(suggestion, name) <= 3 { msg += " (did you mean \(suggestion)?)" }
                throw PassmailError.usage(msg + "; see `passmail \(command) --help`")
            }
            if s.isFlag {
                if inlineValue != nil { throw PassmailError.usage("\(command): \(s.name) takes no value") }
                result.flags.insert(s.name)
                continue
            }
            let value: String
            if let inlineValue { value = inlineValue } else {
                guard i < argv.count else { throw PassmailError.usage("\(command): \(s.name) needs a value (\(s.valueName!))") }
                value = argv[i]
                i += 1
            }
            if !s.repeatable, result.values[s.name] != nil {
                throw PassmailError.usage("\(command): \(s.name) given twice")
            }
            result.values[s.name, default: []].append(value)
        }
        return result
    }
}

/// Optimal-string-alignment distance: like Levenshtein, but a swap of two
/// neighbouring letters ("lsit" for "list") costs one edit, as typos usually are.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}
