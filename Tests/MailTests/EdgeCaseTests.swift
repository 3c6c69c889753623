import XCTest
import Core
import TestSupport
@testable import Mail

/// Inputs organisers really produce: Windows line endings, odd encodings, empty and enormous values.
final class EdgeCaseTests: XCTestCase {
    let zoe = Attendee(id: "a1", firstName: "Zoë", lastName: "Müller", email: "zoe@example.org", company: "A&B <Co>", passType: "VIP")

    func testTemplatesSavedWithWindowsLineEndings() throws {
        let t = try MailTemplates(subject: "s", text: "Hi {{first_name}},\r\n{{#company}}\r\nFrom {{company}}\r\n{{/company}}\r\nBye\r\n")
        XCTAssertEqual(try t.render(zoe, passCode: "X").text, "Hi Zoë,\r\nFrom A&B <Co>\r\nBye\r\n")
        let qp = BodyEncoding.quotedPrintable("a\r\nb\rc\nd")
        XCTAssertEqual(qp, "a\r\nb\r\nc\r\nd\r\n")
    }

    func testTemplateThatIsNotUTF8IsNamed() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.file("templates"), withIntermediateDirectories: true)
        dir.write("templates/pass.txt.mustache", bytes: [0x48, 0x69, 0x20, 0xE9, 0x0A])
        let ws = Workspace(root: dir.url, config: PassmailConfig())
        XCTAssertThrowsError(try MailTemplates(workspace: ws)) {
            XCTAssertEqual("\($0)", "templates/pass.txt.mustache: not valid UTF-8 (save the template as UTF-8)")
        }
    }

    func testHTMLEscapingOnlyInHTMLAndNeverForTripleMustache() throws {
        let t = try MailTemplates(subject: "{{company}}", text: "{{company}}", html: "{{company}}|{{{company}}}|{{& company}}")
        let m = try t.render(zoe, passCode: "X")
        XCTAssertEqual(m.subject, "A&B <Co>")
        XCTAssertEqual(m.text, "A&B <Co>")
        XCTAssertEqual(m.html, "A&amp;B &lt;Co&gt;|A&B <Co>|A&B <Co>")
    }

    func testSectionsOverObjectsAndDottedNames() throws {
        let t = try MailTemplates(subject: "s", text: "{{#pass}}{{code}}/{{type}}{{/pass}} {{#event}}{{name}}{{/event}} {{event.name}}")
        XCTAssertEqual(try t.render(zoe, passCode: "K7Q").text, "K7Q/VIP My Event My Event")
    }

    func testEmptySubjectEmptyBodyAndNoAttachmentStillLintClean() throws {
        let dir = TemporaryDirectory()
        var m = OutgoingMessage(attendeeID: "a", customID: "r.a", messageID: "r.a@x.org", from: Mailbox(address: "o@x.org"),
                                to: Mailbox(address: "a@x.org"), subject: "", text: "", html: "<p></p>")
        let url = dir.file("m.eml")
        try MIMEWriter.serialize(m).write(to: url)
        m.html = nil
        let url2 = dir.file("m2.eml")
        try MIMEWriter.serialize(m).write(to: url2)
        let lint = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), [try TestPaths.sharedTool("mime-lint").path, url.path, url2.path])
        XCTAssertEqual(lint.status, 0, lint.stdout)
    }

    func testEnormousValuesNeverMakeALineOver998Octets() throws {
        let huge = String(repeating: "A", count: 3000)
        let m = OutgoingMessage(attendeeID: "a", customID: "r.a", messageID: "r.a@x.org", from: Mailbox(name: huge, address: "o@x.org"),
                                to: Mailbox(name: huge + " " + huge, address: "a@x.org"), subject: huge + " é " + huge,
                                text: huge, html: huge,
                                attachments: [Attachment(fileName: huge + ".pdf", data: Data("%PDF-1.4".utf8))])
        let raw = try MIMEWriter.render(m)
        for line in raw.components(separatedBy: "\r\n") { XCTAssertLessThanOrEqual(line.utf8.count, 998) }
        let dir = TemporaryDirectory()
        let url = dir.file("huge.eml")
        try Data(raw.utf8).write(to: url)
        let lint = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), [try TestPaths.sharedTool("mime-lint").path, url.path])
        XCTAssertEqual(lint.status, 0, lint.stdout)
    }

    func testBoundaryNeverAppearsInEncodedBodies() throws {
        var m = OutgoingMessage(attendeeID: "a", customID: "r.a", messageID: "r.a@x.org", from: Mailbox(address: "o@x.org"),
                                to: Mailbox(address: "a@x.org"), subject: "s", text: "--=_pm_mix_ --=_pm_alt_ =_ ==_", html: "=_pm")
        m.attachments = [Attachment(fileName: "p.pdf", data: Data("%PDF-=_pm_mix_".utf8))]
        let raw = try MIMEWriter.render(m)
        let body = raw.components(separatedBy: "\r\n").filter { !$0.hasPrefix("--=_pm_") && !$0.contains("boundary=") }
        XCTAssertFalse(body.contains { $0.contains("=_pm_") }, "boundary text leaked into a body line")
    }
}
