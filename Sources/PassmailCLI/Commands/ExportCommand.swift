import Foundation
import Core
import Roster

/// `passmail export`: Write the delivery report (who got it, who didn't) as CSV
public enum ExportCommand: PassmailCommand {
    public static let name = "export"
    public static let abstract = "Write the delivery report (who got it, who didn't) as CSV"
    public static let arguments = "[FILE]"
    public static let discussion = """
        One row per attendee: id, names, email, company, pass type, delivery status, when the
        pass was generated and emailed, the message id and the last error, then every imported
        column. Without FILE the CSV goes to stdout; a FILE is replaced atomically (readers see
        the old report or the new one, never half).

        EXAMPLES:
          passmail export report.csv
          passmail export --status failed failed.csv
          passmail export --excel report.csv     (semicolons and a BOM, for Excel)
        """
    public static let options: [OptionSpec] = FilterOptions.specs + [
        OptionSpec("--delimiter", short: "-d", value: "C", help: "Field delimiter (default ,)"),
        OptionSpec("--bom", help: "Start with a UTF-8 byte-order mark (Excel needs it to read accents)"),
        OptionSpec("--excel", help: "Same as --delimiter ';' --bom"),
    ]

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 1)
        let filter = try FilterOptions.parse(invocation.arguments)
        var delimiter: Character = invocation.flag("--excel") ? ";" : ","
        if let d = invocation.option("--delimiter") { delimiter = try ImportCommand.parseDelimiter(d) }
        let bom = invocation.flag("--bom") || invocation.flag("--excel")
        let store = try RosterStore(workspace: try invocation.openWorkspace())
        let attendees = try RosterSelection.select(filter, from: store, console: invocation.console)
        let csv = RosterExport.csv(attendees, delimiter: delimiter, byteOrderMark: bom)
        guard let path = invocation.positionals.first, path != "-" else {
            invocation.console.outRaw(csv)
            return .ok
        }
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
            throw PassmailError.cantCreate("\(path): is a folder; give a file name, e.g. \(path)/report.csv")
        }
        guard FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path) else {
            throw PassmailError.cantCreate("\(path): the folder \(url.deletingLastPathComponent().path) does not exist")
        }
        try AtomicFile.write(Data(csv.utf8), to: url)
        let sent = attendees.filter { $0.delivery.status == .sent }.count
        invocation.console.err("Wrote \(attendees.count) attendee\(attendees.count == 1 ? "" : "s") to \(path) (\(sent) sent, \(attendees.count - sent) not sent)")
        return .ok
    }
}
