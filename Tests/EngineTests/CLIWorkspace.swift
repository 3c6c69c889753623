import Foundation
import XCTest
import Core
import TestSupport
@testable import Engine

/// A real workspace made with the real binary: `passmail init`, a config
/// pointing at a test server, N imported attendees.
struct CLIWorkspace {
    let dir = TemporaryDirectory("passmail-engine")
    var url: URL { dir.url.appendingPathComponent("ws") }
    var environment: [String: String] = [:]

    init(attendees n: Int, transport: String, extra: String, send: String = "", environment: [String: String] = [:]) throws {
        self.environment = environment
        let made = try passmail(["init", url.path])
        guard made.status == 0 else { throw XCTSkip("passmail init failed: \(made.stderr)") }
        let toml = """
            [event]
            id = "crash-test"
            name = "Crash Test Conf"

            [sender]
            name = "The Organisers"
            email = "organisers@example.org"

            [templates]
            subject = "Your pass for {{event.name}}"
            text = "templates/pass.txt.mustache"

            [transport]
            kind = "\(transport)"

            \(extra)

            [send]
            concurrency = 4
            max_attempts = 5
            retry_base_seconds = 0.3
            retry_max_seconds = 1
            \(send)
            """
        try Data(toml.utf8).write(to: url.appendingPathComponent("passmail.toml"))
        var csv = "id,first_name,last_name,email,pass_type\n"
        for i in 0..<n { csv += "a\(i),Zoë,Tester \(i),p\(i)@example.org,Attendee\n" }
        let file = dir.write("attendees.csv", csv)
        let imported = try passmail(["import", file.path], workspace: url)
        guard imported.status == 0 else { throw XCTSkip("passmail import failed: \(imported.stderr)") }
    }

    @discardableResult
    func run(_ args: [String]) throws -> ProcessResult {
        try passmail(args, workspace: url, environment: environment)
    }

    var sessions: URL { url.appendingPathComponent("sessions") }

    func summaries() throws -> [RunSummary] { try RunCatalog.summaries(sessions: sessions).runs }

    /// Starts `passmail ARGS` as a child without waiting.
    func spawn(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = TestPaths.passmailBinary
        p.arguments = ["--workspace", url.path] + args
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try p.run()
        return p
    }
}
