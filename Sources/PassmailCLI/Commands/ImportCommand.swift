import Foundation
import Core
import Roster

/// `passmail import`: Import attendees from a CSV export (Eventbrite, pretix, Google Forms, Excel...)
public enum ImportCommand: PassmailCommand {
    public static let name = "import"
    public static let abstract = "Import attendees from a CSV export (Eventbrite, pretix, Google Forms, Excel...)"
    public static let arguments = "FILE"
    public static let discussion = """
        Adds new attendees and updates changed ones, matched by id (the export's attendee or
        ticket id, else an order number, else a stable id derived from the email address).
        Delivery records (sent, failed, when, message id) are never touched by an import.
        Nobody is removed unless --prune is given (then attendees missing from the file are
        removed, e.g. cancellations; refused while any row is rejected).

        The delimiter (, ; tab |) is detected; the file must be UTF-8 (with or without BOM)
        unless --encoding says otherwise. UTF-16 files with a byte-order mark are read too.
        Rows with an unusable email address or the wrong number of fields are rejected and
        listed on stderr as FILE:LINE: reason; the other rows are still imported.
        Rows whose status column (Attendee Status, approval_status, Status...) says cancelled,
        refunded, declined or waitlisted are skipped and listed: they get no pass.

        EXAMPLES:
          passmail import attendees.csv
          passmail import --dry-run eventbrite-report.csv
          passmail import --encoding cp1252 excel-export.csv
          curl -s https://tickets.example.org/export.csv | passmail import -

        EXIT CODES: 0 imported · 65 some rows rejected (the rest imported) or the file cannot be
        read as CSV (nothing imported) · 66 no such file · 64 usage
        """
    public static let options: [OptionSpec] = [
        OptionSpec("--delimiter", short: "-d", value: "C", help: "Field delimiter: , ; | tab (default: detected)"),
        OptionSpec("--encoding", short: "-e", value: "E", help: "utf8 (default), latin1 or cp1252 (Excel on Windows)"),
        OptionSpec("--dry-run", short: "-n", help: "Show what would change; write nothing"),
        OptionSpec("--prune", help: "Also remove attendees the file no longer lists (cancellations)"),
        OptionSpec("--verbose", short: "-v", help: "List every added and updated attendee"),
    ]

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 1)
        guard let path = invocation.positionals.first else {
            throw PassmailError.usage("import: which file? e.g. `passmail import attendees.csv`")
        }
        var options = ImportOptions(dryRun: invocation.flag("--dry-run"), prune: invocation.flag("--prune"), displayName: path)
        if let d = invocation.option("--delimiter") { options.delimiter = try parseDelimiter(d) }
        if let e = invocation.option("--encoding") {
            guard let enc = TextEncodingChoice(userSpelling: e) else {
                throw PassmailError.usage("--encoding: \"\(e)\" is not one of utf8, latin1, cp1252")
            }
            options.encoding = enc
        }
        let workspace = try invocation.openWorkspace()
        let store = try RosterStore(workspace: workspace)
        let report: ImportReport
        if path == "-" {
            // `-` reads standard input: `curl ... | passmail import -`.
            options.displayName = "<stdin>"
            if invocation.console.stdinIsTerminal {
                invocation.console.err("passmail: reading CSV from the terminal; end with Ctrl-D")
            }
            let data = FileHandle.standardInput.readDataToEndOfFile()
            report = try RosterImporter.importData([UInt8](data), file: "<stdin>", into: store, options: options)
        } else {
            let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            report = try RosterImporter.importFile(url, into: store, options: options)
        }
        print(report, to: invocation.console, verbose: invocation.flag("--verbose"))
        return report.exitCode
    }

    /// Accepts the delimiter as a character or by name: `;`, `tab`, `\t`, `comma`, `pipe`.
    static func parseDelimiter(_ s: String) throws -> Character {
        switch s.lowercased() {
        case "tab", "\\t", "\t": return "\t"
        case "comma": return ","
        case "semicolon": return ";"
        case "pipe": return "|"
        default:
            guard s.count == 1, let c = s.first, c.isASCII, c != "\"", !c.isNewline else {
                throw PassmailError.usage("--delimiter: expected one character such as , ; | or the word tab, got \"\(s)\"")
            }
            return c
        }
    }

    static func print(_ r: ImportReport, to console: Console, verbose: Bool) {
        // Warnings and rejections in file order, so they read alongside the file.
        let issues = r.warnings.map { ImportIssue(line: $0.line, message: "warning: " + $0.message) }
            + r.rejected.map { ImportIssue(line: $0.line, message: "rejected: " + $0.message) }
            + r.skipped.map { ImportIssue(line: $0.line, message: "skipped: " + $0.message) }
        for i in issues.sorted(by: { ($0.line ?? 0) < ($1.line ?? 0) }) { console.err(i.formatted(file: r.file)) }
        console.out("\(r.file): \(r.rowsRead) row\(r.rowsRead == 1 ? "" : "s"), \(r.encoding), delimiter \(r.delimiter)")
        for m in r.mapping { console.out("  \(m)") }
        let verb = r.dryRun ? "would be " : ""
        console.out("")
        console.out("  added      \(pad(r.added))\(r.dryRun ? "  (would be added)" : "")")
        console.out("  updated    \(pad(r.updated))\(r.dryRun ? "  (would be updated)" : "")")
        console.out("  unchanged  \(pad(r.unchanged))")
        if r.removed > 0 {
            console.out("  removed    \(pad(r.removed))\(r.dryRun ? "  (would be removed)" : "")")
        }
        if !r.skipped.isEmpty {
            console.out("  skipped    \(pad(r.skipped.count))  (cancelled, refunded, declined or waitlisted: no pass; listed on stderr)")
        }
        console.out("  rejected   \(pad(r.rejected.count))\(r.rejected.isEmpty ? "" : "  (listed on stderr)")")
        let shownUpdates = verbose ? r.summary.updated : Array(r.summary.updated.prefix(20))
        if !shownUpdates.isEmpty {
            console.out("")
            console.out("Updated:")
            for u in shownUpdates { console.out("  \(u.id): \(u.changes.joined(separator: ", "))") }
            if shownUpdates.count < r.summary.updated.count {
                console.out("  … and \(r.summary.updated.count - shownUpdates.count) more (--verbose lists all)")
            }
        }
        if !r.summary.removed.isEmpty {
            console.out("")
            console.out(r.dryRun ? "Would remove:" : "Removed:")
            for id in r.summary.removed.prefix(verbose ? Int.max : 20) { console.out("  \(id)") }
            if !verbose, r.summary.removed.count > 20 { console.out("  … and \(r.summary.removed.count - 20) more (--verbose lists all)") }
        }
        if verbose, !r.summary.added.isEmpty {
            console.out("")
            console.out("Added:")
            for id in r.summary.added { console.out("  \(id)") }
        }
        if r.dryRun {
            console.out("")
            console.out("Dry run: nothing was written (\(r.added) \(verb)added, \(r.updated) \(verb)updated).")
        }
        if !r.rejected.isEmpty {
            console.err("passmail: \(r.rejected.count) row\(r.rejected.count == 1 ? "" : "s") rejected; "
                + (r.dryRun ? "the other rows would be imported" : "the other rows were imported"))
        }
    }

    static func pad(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: " ", count: max(0, 7 - s.count)) + s
    }
}
