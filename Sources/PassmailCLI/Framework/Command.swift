import Foundation
import Core

/// A `passmail` subcommand: its help text, its options and what it does.
///
/// Modelled on swift-argument-parser's `ParsableCommand`, without the
/// dependency: the spec drives both parsing and `--help`, so they never disagree.
public protocol PassmailCommand {
    static var name: String { get }
    /// One line for `passmail --help`.
    static var abstract: String { get }
    /// E.g. "FILE" or "[ID]"; shown after the options in the usage line.
    static var arguments: String { get }
    /// Longer help: what it does, examples, exit codes.
    static var discussion: String { get }
    static var options: [OptionSpec] { get }
    /// Hidden from `passmail --help` (internal or test-only commands).
    static var hidden: Bool { get }
    static func run(_ invocation: Invocation) async throws -> ExitCode
}

extension PassmailCommand {
    public static var arguments: String { "" }
    public static var discussion: String { "" }
    public static var hidden: Bool { false }

    static var allOptions: [OptionSpec] { options + Invocation.commonOptions }

    /// The command as a value, for the dispatch table.
    public static var entry: CommandEntry {
        CommandEntry(name: name, abstract: abstract, hidden: hidden, helpText: helpText, allOptions: allOptions,
                     run: { try await run($0) })
    }

    static var helpText: String {
        var lines: [String] = []
        lines.append("OVERVIEW: \(abstract)")
        lines.append("")
        let args = arguments.isEmpty ? "" : " \(arguments)"
        lines.append("USAGE: passmail \(name) [OPTIONS]\(args)")
        if !discussion.isEmpty {
            lines.append("")
            lines.append(discussion)
        }
        lines.append("")
        lines.append("OPTIONS:")
        for o in allOptions {
            var left = o.short.map { "\($0), " } ?? ""
            left += o.name
            if let v = o.valueName { left += " \(v)" }
            if o.repeatable { left += " ..." }
            let pad = max(1, 28 - left.count)
            lines.append("  \(left)\(String(repeating: " ", count: pad))\(o.help)")
        }
        return lines.joined(separator: "\n")
    }
}

/// A command as a value: the dispatch table holds these rather than existential
/// metatypes (which also crashes swift-frontend 6.3 in async calls).
public struct CommandEntry: Sendable {
    public var name: String
    public var abstract: String
    public var hidden: Bool
    public var helpText: String
    public var allOptions: [OptionSpec]
    public var run: @Sendable (Invocation) async throws -> ExitCode
}

/// What a command gets to work with: parsed arguments, the workspace folder, the console.
public struct Invocation: Sendable {
    public var arguments: ParsedArguments
    public var workspaceRoot: URL
    public var environment: [String: String]
    public var console: Console
    public var commandName: String

    static let commonOptions: [OptionSpec] = [
        OptionSpec("--workspace", short: "-w", value: "DIR", help: "Workspace folder (default: $PASSMAIL_WORKSPACE, else the current folder)"),
        OptionSpec("--help", short: "-h", help: "Show help for this command"),
    ]

    /// Opens the workspace and its configuration; errors name the file and line.
    public func openWorkspace() throws -> Workspace {
        try Workspace.open(at: workspaceRoot)
    }

    public func flag(_ name: String) -> Bool { arguments.flag(name) }
    public func option(_ name: String) -> String? { arguments.option(name) }
    public var positionals: [String] { arguments.positionals }

    /// Fails with a usage error when more positionals were given than the command takes.
    public func expectPositionals(max: Int) throws {
        if positionals.count > max {
            throw PassmailError.usage("\(commandName): unexpected argument \"\(positionals[max])\"; see `passmail \(commandName) --help`")
        }
    }
}

/// stdout for results, stderr for diagnostics; colour only when wanted.
public struct Console: Sendable {
    public var stdoutIsTerminal: Bool
    public var stderrIsTerminal: Bool
    public var stdinIsTerminal: Bool
    /// False when NO_COLOR is set (https://no-color.org) or stderr is not a terminal.
    public var useColor: Bool

    public init(environment: [String: String]) {
        stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        stderrIsTerminal = isatty(STDERR_FILENO) == 1
        stdinIsTerminal = isatty(STDIN_FILENO) == 1
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        useColor = !noColor && stderrIsTerminal && environment["TERM"] != "dumb"
    }

    public func out(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }
    public func outRaw(_ s: String) { FileHandle.standardOutput.write(Data(s.utf8)) }
    public func outData(_ d: Data) { FileHandle.standardOutput.write(d) }
    public func err(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
    public func errRaw(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    /// Asks a yes/no question on stderr and reads stdin; false on EOF.
    public func confirm(_ question: String) -> Bool {
        errRaw("\(question) [y/N] ")
        guard let line = readLine() else { return false }
        return ["y", "yes"].contains(line.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
