import Foundation
import Core

/// The entry point: finds the command, parses its options, runs it, maps errors to exit codes.
public enum PassmailMain {
    public static let version = "0.1.0"

    /// Every subcommand, in the order `passmail --help` lists them.
    public static let commands: [CommandEntry] = [
        InitCommand.entry, DemoCommand.entry,
        ImportCommand.entry, ListCommand.entry, ExportCommand.entry,
        PassCommand.entry, VerifyCommand.entry,
        PreviewCommand.entry, CheckCommand.entry,
        SendCommand.entry, ResumeCommand.entry, RunsCommand.entry, RetryFailedCommand.entry, CancelCommand.entry,
        TUICommand.entry,
    ]

    public static func main(_ argv: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let console = Console(environment: environment)
        do {
            return try await run(argv, environment: environment, console: console).rawValue
        } catch let e as UserFacingError {
            console.err("passmail: \(e.description)")
            return e.exitCode.rawValue
        } catch {
            console.err("passmail: \(error)")
            return ExitCode.software.rawValue
        }
    }

    static func run(_ argv: [String], environment: [String: String], console: Console) async throws -> ExitCode {
        // Global options may come before the command: `passmail -w DIR list`.
        var rest = argv
        var workspaceFlag: String?
        while let first = rest.first, first.hasPrefix("-") {
            switch first {
            case "--version", "-V":
                console.out("passmail \(version)")
                return .ok
            case "--help", "-h":
                console.out(globalHelp)
                return .ok
            case "--workspace", "-w":
                guard rest.count >= 2 else { throw PassmailError.usage("--workspace needs a folder") }
                workspaceFlag = rest[1]
                rest.removeFirst(2)
            default:
                if first.hasPrefix("--workspace=") {
                    workspaceFlag = String(first.dropFirst("--workspace=".count))
                    rest.removeFirst()
                } else {
                    throw PassmailError.usage("unknown option \(first); see `passmail --help`")
                }
            }
        }
        let commandType: CommandEntry
        var commandArgs: [String]
        if let name = rest.first {
            if name == "help" {
                if rest.count > 1, let c = commands.first(where: { $0.name == rest[1] }) {
                    console.out(c.helpText)
                } else {
                    console.out(globalHelp)
                }
                return .ok
            }
            guard let c = commands.first(where: { $0.name == name }) else {
                let near = commands.filter { !$0.hidden }.map(\.name).min { editDistance($0, name) < editDistance($1, name) }
                var msg = "unknown command \"\(name)\""
                if let near, editDistance(near, name) <= 3 { msg += " (did you mean `\(near)`?)" }
                throw PassmailError.usage(msg + "; see `passmail --help`")
            }
            commandType = c
            commandArgs = Array(rest.dropFirst())
        } else {
            commandType = TUICommand.entry
            commandArgs = []
        }
        let parsed = try ParsedArguments.parse(commandArgs, specs: commandType.allOptions, command: commandType.name)
        if parsed.flag("--help") {
            console.out(commandType.helpText)
            return .ok
        }
        if let w = parsed.option("--workspace") { workspaceFlag = w }
        let invocation = Invocation(
            arguments: parsed,
            workspaceRoot: Workspace.resolveRoot(flag: workspaceFlag, environment: environment),
            environment: environment,
            console: console,
            commandName: commandType.name)
        return try await commandType.run(invocation)
    }

    static var globalHelp: String {
        var lines = [
            "passmail \(version): personal event passes with signed QR codes, emailed in bulk, resumable after any crash.",
            "",
            "USAGE: passmail [--workspace DIR] [COMMAND] [OPTIONS]",
            "       passmail                 open the terminal interface on the workspace",
            "",
            "COMMANDS:",
        ]
        for c in commands where !c.hidden {
            lines.append("  \(c.name.padding(toLength: 14, withPad: " ", startingAt: 0))\(c.abstract)")
        }
        lines += [
            "",
            "GLOBAL OPTIONS:",
            "  -w, --workspace DIR   Workspace folder (default: $PASSMAIL_WORKSPACE, else the current folder)",
            "  -h, --help            Show help (also `passmail COMMAND --help`)",
            "  -V, --version         Show the version",
            "",
            "ENVIRONMENT:",
            "  PASSMAIL_WORKSPACE         default workspace folder",
            "  PASSMAIL_SMTP_PASSWORD     SMTP password",
            "  MJ_APIKEY_PUBLIC, MJ_APIKEY_PRIVATE   Mailjet API keys",
            "  PASSMAIL_PASS_SIGNING_KEY  pass signing key (PEM), overrides keys/pass-signing.pem",
            "  NO_COLOR                   disable colour",
            "",
            "EXIT CODES: 0 ok · 1 run finished with failures or in-doubt entries · 64 usage · 65 bad data",
            "            66 no input · 73 can't create · 74 I/O error · 75 run paused · 78 config · 130 interrupted",
        ]
        return lines.joined(separator: "\n")
    }
}
