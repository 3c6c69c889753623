import XCTest
import TestSupport

/// `passmail preview` and `passmail check` as an organiser runs them.
final class PreviewAndCheckCommandTests: XCTestCase {
    var dir: TemporaryDirectory!
    var ws: URL { dir.file("ws") }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: TestPaths.passmailBinary.path) else {
            throw XCTSkip("build the passmail product first (swift build --product passmail)")
        }
        dir = TemporaryDirectory()
        let initResult = try passmail(["init", ws.path])
        XCTAssertEqual(initResult.status, 0, initResult.stderr)
        let csv = dir.write("attendees.csv", """
            id,first_name,last_name,email,company,pass_type,T-shirt size
            a1,Zoë,Müller,zoe@example.org,ACME,Speaker,M
            a2,Bob,"O'Brien, Jr.",bob@example.org,,Attendee,
            a3,,Nobody,nobody@example.org,,VIP,L

            """)
        let imported = try passmail(["import", csv.path], workspace: ws)
        XCTAssertEqual(imported.status, 0, imported.stderr)
    }

    func testPreviewPrintsHeadersDecodedBodiesAndSummarisesThePass() throws {
        let r = try passmail(["preview", "a1"], workspace: ws)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("From: The Organisers <organisers@example.org>\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\n <zoe@example.org>\n") || r.stdout.contains("<zoe@example.org>\n"))
        XCTAssertTrue(r.stdout.contains("Message-ID: <preview.a1@example.org>"))
        XCTAssertTrue(r.stdout.contains("Hello Zoë,"), "text decoded for reading")
        XCTAssertTrue(r.stdout.contains("colleagues from ACME"))
        XCTAssertTrue(r.stdout.contains("<p>Hello Zoë,</p>"))
        let summary = try XCTUnwrap(r.stdout.range(of: #"\[attachment: Pass - Zoë Müller\.pdf, application/pdf, \d+ KB\]"#, options: .regularExpression))
        XCTAssertFalse(r.stdout[summary].isEmpty)
        XCTAssertFalse(r.stdout.contains("JVBER"), "the PDF is not dumped")
    }

    func testPreviewWritesTheExactMessageWithEml() throws {
        let eml = dir.file("a2.eml")
        let r = try passmail(["preview", "a2", "--eml", eml.path], workspace: ws)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lint = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), [try TestPaths.sharedTool("mime-lint").path, eml.path])
        XCTAssertEqual(lint.status, 0, lint.stdout)
        let raw = try String(contentsOf: eml, encoding: .utf8)
        XCTAssertTrue(raw.contains("To: \"Bob O'Brien, Jr.\" <bob@example.org>\r\n"), raw)
        XCTAssertTrue(raw.contains("JVBER"), "the .eml carries the PDF")
    }

    func testPreviewOfUnknownAttendeeOrAProblemExitsWithDataError() throws {
        let unknown = try passmail(["preview", "zz"], workspace: ws)
        XCTAssertEqual(unknown.status, 65)
        XCTAssertTrue(unknown.stderr.contains("no attendee with id \"zz\""), unknown.stderr)
        let lacking = try passmail(["preview", "a3"], workspace: ws)
        XCTAssertEqual(lacking.status, 65)
        XCTAssertTrue(lacking.stderr.contains("templates/pass.txt.mustache:1: {{first_name}}: empty for this attendee"), lacking.stderr)
        let missing = try passmail(["preview"], workspace: ws)
        XCTAssertEqual(missing.status, 64)
    }

    func testCheckReportsEveryProblemGroupedAndExits65() throws {
        try "Hello {{first_name}}, size {{t_shirt_size}} {{nickname}}\n".write(to: ws.appendingPathComponent("templates/pass.txt.mustache"), atomically: true, encoding: .utf8)
        let r = try passmail(["check"], workspace: ws)
        XCTAssertEqual(r.status, 65, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("templates/pass.txt.mustache:1: {{nickname}}: no such field") && $0.contains("3 attendees: a1, a2, a3") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("templates/pass.txt.mustache:1: {{t_shirt_size}}: empty") && $0.hasSuffix("1 attendee: a2") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("subject:1: {{first_name}}: empty") && $0.hasSuffix("a3") }, r.stdout)
        XCTAssertTrue(r.stdout.contains("problems for 3 of 3 attendees; nothing was sent"), r.stdout)
        let each = try passmail(["check", "--each"], workspace: ws)
        XCTAssertTrue(each.stdout.contains("templates/pass.txt.mustache:1: {{nickname}}: no such field"))
        XCTAssertTrue(each.stdout.contains("(attendee a2)"))
    }

    func testCheckWithFiltersAndOK() throws {
        let ok = try passmail(["check", "--type", "Speaker"], workspace: ws)
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        XCTAssertTrue(ok.stdout.hasPrefix("OK: 1 attendee renders without problems"), ok.stdout)
        let bad = try passmail(["check", "--exclude-type", "Speaker"], workspace: ws)
        XCTAssertEqual(bad.status, 65)
    }

    func testTemplateSyntaxErrorNamesFileAndLine() throws {
        try "Hello\n{{#company}}\n".write(to: ws.appendingPathComponent("templates/pass.txt.mustache"), atomically: true, encoding: .utf8)
        let r = try passmail(["check"], workspace: ws)
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("templates/pass.txt.mustache:2: {{#company}} is never closed with {{/company}}"), r.stderr)
    }
}
