import Foundation
import Core
import Roster

/// Imports the demo CSV through the same importer as `passmail import`.
enum DemoImport {
    static func run(_ csv: URL, workspace: Workspace) throws -> String {
        // Wired to the roster importer once it lands.
        throw PassmailError("the roster importer is not built yet", exitCode: .software)
    }
}
