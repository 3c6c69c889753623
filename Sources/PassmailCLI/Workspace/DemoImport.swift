import Foundation
import Core
import Roster

/// Imports the demo CSV through the same importer as `passmail import`.
enum DemoImport {
    /// Returns a one-line summary, e.g. "80 attendees imported".
    static func run(_ csv: URL, workspace: Workspace) throws -> String {
        let store = try RosterStore(workspace: workspace)
        let report = try RosterImporter.importFile(csv, into: store, options: ImportOptions(displayName: "attendees.csv"))
        if !report.rejected.isEmpty {
            // The sample data is ours: a rejection here is a bug, not the user's problem.
            throw PassmailError("demo roster rejected: \(report.rejected.map(\.description).joined(separator: "; "))",
                                exitCode: .software)
        }
        return "\(report.added) attendees imported from attendees.csv"
    }
}
