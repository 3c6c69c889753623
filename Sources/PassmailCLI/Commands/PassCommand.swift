import Foundation
import Core
import Roster
import Passes

/// `passmail pass`: renders one attendee's pass PDF, or many with --all.
///
/// Files are written through `AtomicFile` (temporary file, fsync, rename), so
/// an interrupted run never leaves a half-written PDF; each pass rendered is
/// recorded as `pass_generated_at` on its attendee.
public enum PassCommand: PassmailCommand {
    public static let name = "pass"
    public static let abstract = "Render one attendee's pass PDF, or many with --all"
    public static let arguments = "[ID]"
    public static let discussion = """
        passmail pass ID [-o FILE.pdf]        one pass (default: passes/Pass - NAME.pdf; -o - writes to stdout)
        passmail pass --all [FILTERS] [--out DIR]   every matching attendee (default DIR: passes/)

        Each PDF carries the attendee's signed QR code and short human code. With --all, two attendees of
        the same name get their id added to the file name. Paths written go to stdout, one per line.

        Examples:
          passmail pass a-17 -o zoe.pdf
          passmail pass --all --type Speaker --out print/speakers
        """
    public static let options: [OptionSpec] = [
        OptionSpec("--output", short: "-o", value: "FILE.pdf", help: "Where to write the single pass (a folder: its usual name there; - for stdout)"),
        OptionSpec("--all", help: "Render a pass for every attendee matching the filters"),
        OptionSpec("--out", value: "DIR", help: "Folder for --all (default: the workspace's passes/)"),
    ] + FilterOptions.specs

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 1)
        let all = invocation.flag("--all")
        let filter = try FilterOptions.parse(invocation.arguments)
        if all {
            if let id = invocation.positionals.first {
                throw PassmailError.usage("pass: give either an attendee ID or --all, not both (got \"\(id)\")")
            }
            if invocation.option("--output") != nil {
                throw PassmailError.usage("pass: --output names one file; with --all use --out DIR")
            }
        } else {
            guard invocation.positionals.first != nil else {
                throw PassmailError.usage("pass: which attendee? Give an ID (see `passmail list`) or --all")
            }
            if !filter.isEmpty { throw PassmailError.usage("pass: filters select attendees for --all; add --all") }
            if invocation.option("--out") != nil {
                throw PassmailError.usage("pass: --out is the folder for --all; for one pass use -o FILE.pdf")
            }
        }
        let workspace = try invocation.openWorkspace()
        let issuer = try PassIssuer(workspace: workspace, environment: invocation.environment)
        let roster = try RosterStore(workspace: workspace)
        if all {
            return try renderAll(filter: filter, workspace: workspace, issuer: issuer, roster: roster, invocation: invocation)
        }
        return try renderOne(id: invocation.positionals[0], workspace: workspace, issuer: issuer, roster: roster,
                             invocation: invocation)
    }

    private static func renderOne(id: String, workspace: Workspace, issuer: PassIssuer, roster: RosterStore,
                                  invocation: Invocation) throws -> ExitCode {
        guard let attendee = try roster.attendee(id: id) else {
            throw PassmailError.data("pass: no attendee with id \"\(id)\" in \(workspace.databaseURL.path) (see `passmail list`)")
        }
        let now = Date()
        let pass = try issuer.issue(for: attendee, issuedAt: now)
        let output = invocation.option("--output")
        if output == "-" {
            if invocation.console.stdoutIsTerminal {
                throw PassmailError.usage("pass: refusing to write a PDF to the terminal; redirect stdout or use -o FILE.pdf")
            }
            invocation.console.outData(pass.pdf)
        } else {
            let url: URL
            if let output {
                let given = URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                    .standardizedFileURL
                var isDirectory: ObjCBool = false
                // `-o print/` means "into that folder, under the usual name".
                if output.hasSuffix("/") || (FileManager.default.fileExists(atPath: given.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
                    try createFolder(given)
                    url = given.appendingPathComponent(pass.fileName)
                } else {
                    url = given
                }
            } else {
                try createFolder(workspace.passesURL)
                url = workspace.passesURL.appendingPathComponent(pass.fileName)
            }
            try pass.writePDF(to: url)
            invocation.console.out(url.path)
        }
        try roster.recordPassGenerated(ids: [attendee.id], at: now)
        return .ok
    }

    private static func renderAll(filter: AttendeeFilter, workspace: Workspace, issuer: PassIssuer, roster: RosterStore,
                                  invocation: Invocation) throws -> ExitCode {
        let folder = invocation.option("--out").map {
            URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        } ?? workspace.passesURL
        let attendees = try roster.attendees(matching: filter)
        guard !attendees.isEmpty else {
            invocation.console.err("passmail: no attendees match\(filter.isEmpty ? " (the roster is empty; see `passmail import`)" : " the filters")")
            return .ok
        }
        try createFolder(folder)
        let names = fileNames(for: attendees)
        let console = invocation.console
        var progress: (@Sendable (Int, Int) -> Void)?
        if console.stderrIsTerminal {
            progress = { done, total in
                if done == total || done % 25 == 0 { console.errRaw("\rRendering passes: \(done)/\(total)") }
            }
        }
        let batch = PassBatch(attendees: attendees, fileNames: names, folder: folder, issuer: issuer, progress: progress)
        let result = batch.run(at: Date())
        if progress != nil { console.errRaw("\r\u{1B}[K") }
        for url in result.written { invocation.console.out(url.path) }
        try roster.recordPassGenerated(ids: result.renderedIDs, at: result.issuedAt)
        invocation.console.err("passmail: \(result.written.count) pass\(result.written.count == 1 ? "" : "es") written to \(folder.path)")
        if let first = result.failures.first {
            for (id, error) in result.failures { invocation.console.err("passmail: \(id): \(describe(error))") }
            throw PassmailError("\(result.failures.count) of \(attendees.count) passes could not be written (first: \(first.0))",
                                exitCode: (first.1 as? UserFacingError)?.exitCode ?? .software)
        }
        return .ok
    }

    /// "Pass - NAME.pdf", with the id added for every attendee whose name is shared (case-insensitively).
    static func fileNames(for attendees: [Attendee]) -> [String] {
        let plain = attendees.map(PassFileName.forAttendee)
        var counts: [String: Int] = [:]
        for n in plain { counts[n.lowercased(), default: 0] += 1 }
        return zip(attendees, plain).map { a, n in counts[n.lowercased()]! > 1 ? PassFileName.disambiguated(a) : n }
    }

    static func createFolder(_ url: URL) throws {
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw PassmailError.cantCreate("\(url.path): cannot create the folder (\(error.localizedDescription))")
        }
    }

    static func describe(_ error: Error) -> String {
        (error as? UserFacingError)?.description ?? String(describing: error)
    }
}
