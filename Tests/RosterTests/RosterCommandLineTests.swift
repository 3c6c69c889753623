import XCTest
import Core
import TestSupport

/// `passmail import`, `list` and `export` run as a user would, on a temporary workspace.
final class RosterCommandLineTests: XCTestCase {
    var dir: TemporaryDirectory!
    var ws: URL { dir.url.appendingPathComponent("event") }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: TestPaths.passmailBinary.path) else {
            throw XCTSkip("passmail binary not built (swift build --product passmail)")
        }
        dir = TemporaryDirectory("roster-cli")
        try FileManager.default.createDirectory(at: ws, withIntermediateDirectories: true)
        dir.write("event/passmail.toml", "")   // an empty config is a valid one
    }

    let eventbrite = """
        Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,Attendee #,Company
        501,2026-03-01,Zoë,Müller,zoe@example.org,2,VIP,9001,Acme GmbH
        501,2026-03-01,Max,Müller,max@example.org,2,Exhibitor,9002,Acme GmbH
        502,2026-03-02,Ana,Silva,ana@example.org,1,Attendee,9003,
        503,2026-03-02,李,小龍,li@example.cn,1,Speaker,9004,Dragon Ltd

        """

    func testImportThenListThenExport() throws {
        let csv = dir.write("attendees.csv", eventbrite)
        let imp = try passmail(["import", csv.path], workspace: ws)
        XCTAssertEqual(imp.status, 0, imp.stderr)
        XCTAssertTrue(imp.stdout.contains("added            4"), imp.stdout)
        XCTAssertTrue(imp.stdout.contains("id         ← \"Attendee #\""), imp.stdout)

        // Everyone but exhibitors, as a table aligned for the CJK name.
        let list = try passmail(["list", "--exclude-type", "exhibitor"], workspace: ws)
        XCTAssertEqual(list.status, 0, list.stderr)
        let lines = list.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("ID    NAME"), list.stdout)
        XCTAssertEqual(lines.filter { $0.contains("@") }.count, 3)
        XCTAssertTrue(list.stdout.contains("3 of 4 attendees"))

        let json = try passmail(["list", "--json", "--search", "MULLER", "--type", "vip"], workspace: ws)
        let objects = try JSONSerialization.jsonObject(with: json.stdoutData) as! [[String: Any]]
        XCTAssertEqual(objects.map { $0["id"] as? String }, ["9001"])
        XCTAssertEqual((objects[0]["fields"] as? [String: String])?["Order #"], "501")
        XCTAssertEqual(objects[0]["status"] as? String, "unsent")

        let out = dir.file("report.csv")
        let exp = try passmail(["export", out.path, "--status", "unsent"], workspace: ws)
        XCTAssertEqual(exp.status, 0, exp.stderr)
        XCTAssertTrue(exp.stderr.contains("Wrote 4 attendees"), exp.stderr)
        let report = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(report.hasPrefix("id,first_name,last_name,email,company,pass_type,status,"), report)
        XCTAssertEqual(report.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 5)

        let stdoutExport = try passmail(["export", "--ids", "9004"], workspace: ws)
        XCTAssertTrue(stdoutExport.stdout.contains("9004,李,小龍,li@example.cn,Dragon Ltd,Speaker,unsent"), stdoutExport.stdout)
    }

    func testRejectedRowsGoToStderrAndExit65WhileGoodRowsImport() throws {
        let csv = dir.write("bad.csv", "Name,Email\nAda Lovelace,ada@example.org\nNo At,nobody.example.org\nShort\n")
        let r = try passmail(["import", csv.path], workspace: ws)
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("\(csv.path):3: rejected: \"nobody.example.org\" is not a usable email address: no @ sign"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(csv.path):4: rejected: has 1 field but the header has 2"), r.stderr)
        XCTAssertFalse(r.stdout.contains("rejected:"))
        let list = try passmail(["list", "--csv"], workspace: ws)
        XCTAssertTrue(list.stdout.contains("ada@example.org"))
    }

    func testDryRunWritesNothing() throws {
        let csv = dir.write("a.csv", eventbrite)
        let r = try passmail(["import", "--dry-run", csv.path], workspace: ws)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Dry run: nothing was written"), r.stdout)
        let list = try passmail(["list", "--json"], workspace: ws)
        XCTAssertEqual(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[]")
    }

    func testUnreadableInputsAndUsageErrors() throws {
        let missing = try passmail(["import", dir.file("nope.csv").path], workspace: ws)
        XCTAssertEqual(missing.status, 66)
        XCTAssertTrue(missing.stderr.contains("nope.csv: no such file"), missing.stderr)

        let latin = dir.write("latin.csv", bytes: Array("Email,Name\nj@example.org,Jos".utf8) + [0xE9] + [0x0A])
        let bad = try passmail(["import", latin.path], workspace: ws)
        XCTAssertEqual(bad.status, 65)
        XCTAssertTrue(bad.stderr.contains("latin.csv:2: byte offset 28: invalid UTF-8"), bad.stderr)
        let good = try passmail(["import", "--encoding", "latin1", latin.path], workspace: ws)
        XCTAssertEqual(good.status, 0, good.stderr)
        XCTAssertTrue(try passmail(["list"], workspace: ws).stdout.contains("José"))

        XCTAssertEqual(try passmail(["import"], workspace: ws).status, 64)
        XCTAssertEqual(try passmail(["import", "--encoding", "ebcdic", latin.path], workspace: ws).status, 64)
        XCTAssertEqual(try passmail(["list", "--status", "lost"], workspace: ws).status, 64)
        XCTAssertEqual(try passmail(["list", "--json", "--csv"], workspace: ws).status, 64)
        let typo = try passmail(["list", "--type", "Exhbitor"], workspace: ws)
        XCTAssertTrue(typo.stderr.contains("no attendee has pass type \"Exhbitor\""), typo.stderr)
        XCTAssertEqual(try passmail(["export", dir.url.appendingPathComponent("no/such/dir/r.csv").path], workspace: ws).status, 73)
    }

    func testSemicolonTabAndPipeFilesWithExplicitDelimiter() throws {
        let semi = dir.write("semi.csv", "Name;E-mail;Category\nAda Lovelace;ada@example.org;VIP\n")
        XCTAssertEqual(try passmail(["import", semi.path], workspace: ws).status, 0)
        let pipe = dir.write("pipe.txt", "Email|Name\nbob@example.org|Bob Stone\n")
        let r = try passmail(["import", "--delimiter", "pipe", pipe.path], workspace: ws)
        XCTAssertEqual(r.status, 0, r.stderr)
        let tsv = dir.write("t.tsv", "Email\tName\ncy@example.org\tCy Young\n")
        XCTAssertEqual(try passmail(["import", "-d", "tab", tsv.path], workspace: ws).status, 0)
        let json = try passmail(["list", "--json"], workspace: ws)
        let objects = try JSONSerialization.jsonObject(with: json.stdoutData) as! [[String: Any]]
        XCTAssertEqual(objects.map { $0["last_name"] as? String }, ["Lovelace", "Stone", "Young"])
    }

    func testOutsideAWorkspace() throws {
        let csv = dir.write("a.csv", eventbrite)
        let r = try passmail(["import", csv.path], workspace: dir.url.appendingPathComponent("nowhere"))
        XCTAssertEqual(r.status, 66)
        XCTAssertTrue(r.stderr.contains("not a passmail workspace"), r.stderr)
    }
}

extension RosterCommandLineTests {
    func testImportFromStandardInput() throws {
        let r = try passmail(["import", "-"], workspace: ws, stdin: "Email,Name\nada@example.org,Ada Lovelace\nbroken,X\n")
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("<stdin>:3: rejected:"), r.stderr)
        XCTAssertTrue(try passmail(["list", "--csv"], workspace: ws).stdout.contains("ada@example.org"))
    }
}

extension RosterCommandLineTests {
    func testUnknownIdsAreWarnedAbout() throws {
        _ = try passmail(["import", dir.write("a.csv", eventbrite).path], workspace: ws)
        let r = try passmail(["list", "--ids", "9001,nope", "--csv"], workspace: ws)
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("no attendee with id \"nope\""), r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 2)
    }
}

extension RosterCommandLineTests {
    func testPruneRemovesCancelledAttendees() throws {
        _ = try passmail(["import", dir.write("a.csv", eventbrite).path], workspace: ws)
        let fewer = dir.write("b.csv", eventbrite.split(separator: "\n").filter { !$0.contains("9002") }.joined(separator: "\n") + "\n")
        let dry = try passmail(["import", "--prune", "--dry-run", fewer.path], workspace: ws)
        XCTAssertTrue(dry.stdout.contains("removed          1  (would be removed)"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("Would remove:\n  9002"), dry.stdout)
        let r = try passmail(["import", "--prune", fewer.path], workspace: ws)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(try passmail(["list", "--csv"], workspace: ws).stdout.contains("9002"))
    }
}
