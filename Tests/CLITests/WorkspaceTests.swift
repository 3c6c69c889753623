import XCTest
import TestSupport

/// `passmail init` and `passmail demo`, as a new user would run them.
final class WorkspaceTests: XCTestCase {
    func testInitCreatesAWorkspaceWithAPrivateSigningKey() throws {
        let dir = TemporaryDirectory()
        let ws = dir.url.appendingPathComponent("devdays")
        let r = try passmail(["init", ws.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let fm = FileManager.default
        for path in ["passmail.toml", "passmail.db", "templates/pass.txt.mustache", "templates/pass.html.mustache",
                     "keys/pass-signing.pem", "keys/pass-signing.pub.pem", "sessions", "outbox", "passes"] {
            XCTAssertTrue(fm.fileExists(atPath: ws.appendingPathComponent(path).path), "missing \(path)")
        }
        let mode = try fm.attributesOfItem(atPath: ws.appendingPathComponent("keys/pass-signing.pem").path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        // The generated config is valid: a command that reads it works.
        let list = try passmail(["list"], workspace: ws)
        XCTAssertEqual(list.status, 0, list.stderr)
    }

    func testInitRefusesAnExistingWorkspaceAndChangesNothing() throws {
        let dir = TemporaryDirectory()
        XCTAssertEqual(try passmail(["init", dir.url.path]).status, 0)
        let config = dir.file("passmail.toml")
        try Data("# mine\n".utf8).write(to: config)
        let r = try passmail(["init", dir.url.path])
        XCTAssertEqual(r.status, 73)
        XCTAssertTrue(r.stderr.contains("already a passmail workspace"), r.stderr)
        XCTAssertEqual(try String(contentsOf: config, encoding: .utf8), "# mine\n")
    }

    func testWorkspaceComesFromTheEnvironmentWhenNoFlag() throws {
        let dir = TemporaryDirectory()
        XCTAssertEqual(try passmail(["init", dir.url.path]).status, 0)
        let r = try passmail(["list", "--json"], environment: ["PASSMAIL_WORKSPACE": dir.url.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[]")
    }

    func testDemoHasEightyAttendeesOfEveryPassType() throws {
        let dir = TemporaryDirectory()
        let ws = dir.url.appendingPathComponent("demo")
        let r = try passmail(["demo", ws.path, "--no-open"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let list = try passmail(["list", "--json"], workspace: ws)
        XCTAssertEqual(list.status, 0, list.stderr)
        let people = try XCTUnwrap(JSONSerialization.jsonObject(with: list.stdoutData) as? [[String: Any]])
        XCTAssertEqual(people.count, 80)
        let types = Set(people.compactMap { $0["pass_type"] as? String })
        XCTAssertEqual(types, ["Attendee", "Exhibitor", "Speaker", "VIP", "Press"])
        XCTAssertTrue(people.contains { ($0["first_name"] as? String) == "Zoë" })
        // Opening an existing demo again keeps it as it is.
        XCTAssertEqual(try passmail(["demo", ws.path, "--no-open"]).status, 0)
        let again = try passmail(["list", "--json"], workspace: ws)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: again.stdoutData) as? [Any])?.count, 80)
    }

    func testConfigErrorsNameFileLineAndKey() throws {
        let dir = TemporaryDirectory()
        XCTAssertEqual(try passmail(["init", dir.url.path]).status, 0)
        var text = try String(contentsOf: dir.file("passmail.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "concurrency = 4", with: "concurrency = \"four\"")
        try Data(text.utf8).write(to: dir.file("passmail.toml"))
        let r = try passmail(["list"], workspace: dir.url)
        XCTAssertEqual(r.status, 78)
        XCTAssertTrue(r.stderr.contains("passmail.toml:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("send.concurrency: expected a whole number"), r.stderr)
    }
}
