import XCTest
import Core
import TestSupport
@testable import Mail

/// Messages are exactly right on the wire: checked by mime-lint and by parsing them back with Python's `email`.
final class MIMEWriterTests: XCTestCase {
    static let pdf: Data = {
        var d = Data("%PDF-1.7\n".utf8)
        var g = SystemRandomNumberGenerator()
        for _ in 0..<(40 * 1024) { d.append(UInt8.random(in: 0...255, using: &g)) }
        return d + Data("\n%%EOF\n".utf8)
    }()

    func message(name: String = "Zoë Müller", subject: String = "Your pass", text: String = "Hello\n",
                 html: String? = "<p>Hello</p>", fileName: String = "Pass - Zoë Müller.pdf",
                 replyTo: Mailbox? = Mailbox(name: "Help desk", address: "help@example.org")) -> OutgoingMessage {
        OutgoingMessage(attendeeID: "a17", customID: "r1.a17", messageID: "r1.a17@passmail.example.org",
                        from: Mailbox(name: "RustConf Team", address: "team@example.org"), replyTo: replyTo,
                        to: Mailbox(name: name, address: "zoe@example.org"), subject: subject, text: text, html: html,
                        attachments: [Attachment(fileName: fileName, data: Self.pdf)],
                        date: Date(timeIntervalSince1970: 1_796_400_000))
    }

    /// Nasty values that must survive the round trip unchanged (CR/LF become spaces).
    let nastyNames = [
        "Zoë Müller", "O'Brien, Patrick \"Pat\"", "=?utf-8?q?not_encoded?=", "Ana 🎟️ Lúcia 👩‍👩‍👧‍👦",
        "李小龙", "Back\\slash", "Very " + String(repeating: "Long Name ", count: 20),
        String(repeating: "é", count: 100), "a.b. (c) [d] <e> @f", "",
    ]

    func testNastyNamesSubjectsAndFileNamesRoundTripThroughPythonAndLintClean() throws {
        let dir = TemporaryDirectory()
        var expected: [[String: String]] = []
        var files: [String] = []
        for (i, name) in nastyNames.enumerated() {
            let subject = ["Your pass for RustConf 2027 — see you in Zürich, \(name)!",
                           String(repeating: "Long subject words ", count: 30),
                           String(repeating: "x", count: 1200),
                           "Ticket =?ISO-8859-1?Q?a?= \(i)", "🎟️🎟️🎟️ " + String(repeating: "ü", count: 90)][i % 5]
            let text = "Hallo \(name),\n\n.\nFrom here on: trailing space \nand tab\t\n= sign \(String(repeating: "ä", count: 200))\nend"
            let file = name.isEmpty ? "Pass.pdf" : "Pass - \(name).pdf"
            let m = message(name: name, subject: subject, text: text, html: "<p>\(name) &amp; co</p>\n", fileName: file)
            let url = dir.file("m\(i).eml")
            try MIMEWriter.serialize(m).write(to: url)
            files.append(url.path)
            func clean(_ s: String) -> String {
                HeaderEncoding.sanitized(s)
            }
            expected.append(["to_name": clean(name), "to_addr": "zoe@example.org", "subject": clean(subject),
                             "filename": HeaderEncoding.sanitized(file), "text": text.replacingOccurrences(of: "\n", with: "\r\n")])
        }
        try assertLintClean(files)
        let parsed = try parseWithPython(files)
        for (i, e) in expected.enumerated() {
            let p = parsed[i]
            // CPython keeps the folding space between two encoded words of a display name
            // (RFC 2047 6.2 says to drop it, as mail clients do), so compare words.
            XCTAssertEqual((p["to_name"] as? String)?.split(separator: " ").joined(), e["to_name"]?.split(separator: " ").joined(), "name #\(i)")
            if let rfc = p["to_name_rfc2047"] as? String {
                XCTAssertEqual(rfc, e["to_name"], "RFC 2047 decoding of name #\(i)")
            }
            XCTAssertEqual(p["to_addr"] as? String, e["to_addr"])
            XCTAssertEqual(p["subject"] as? String, e["subject"], "subject #\(i)")
            XCTAssertEqual(p["filename"] as? String, e["filename"], "filename #\(i)")
            XCTAssertEqual(p["text"] as? String, e["text"], "text #\(i)")
            XCTAssertEqual(p["pdf_size"] as? Int, Self.pdf.count)
            XCTAssertEqual(p["pdf_equal"] as? Bool, true)
            XCTAssertEqual(p["message_id"] as? String, "<r1.a17@passmail.example.org>")
            XCTAssertEqual(p["structure"] as? String, "multipart/mixed[multipart/alternative[text/plain,text/html],application/pdf]")
            XCTAssertEqual(p["defects"] as? [String], [])
            XCTAssertLessThanOrEqual(p["max_line"] as? Int ?? 999, 78, "line length #\(i)")
        }
    }

    /// Random names, subjects and file names from a fixed seed: every one lint-clean and read back exactly.
    func testRandomisedFieldsRoundTrip() throws {
        struct SplitMix: RandomNumberGenerator {
            var state: UInt64
            mutating func next() -> UInt64 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
        }
        var rng = SplitMix(state: 20261204)
        let pool: [String] = ["a", "Z", " ", " ", "\"", "'", ",", ";", ":", "<", ">", "(", ")", "@", "\\", "=", "?", "=?", "?=", "_",
                              "\r", "\n", "\t", "é", "ß", "Ø", "ł", "ж", "李", "🎟️", "👩‍👩‍👧‍👦", "\u{301}", "\u{200B}", "\u{2028}", ".", "-", "x"]
        func randomText(_ maxLength: Int) -> String {
            let n = Int.random(in: 1...maxLength, using: &rng)
            return (0..<n).map { _ in pool.randomElement(using: &rng)! }.joined()
        }
        let dir = TemporaryDirectory()
        var files: [String] = []
        var expected: [(name: String, subject: String, file: String)] = []
        for i in 0..<80 {
            let name = randomText(40), subject = randomText(120), file = randomText(50) + ".pdf"
            let url = dir.file("r\(i).eml")
            try MIMEWriter.serialize(message(name: name, subject: subject, fileName: file)).write(to: url)
            files.append(url.path)
            expected.append((HeaderEncoding.sanitized(name), HeaderEncoding.sanitized(subject), HeaderEncoding.sanitized(file)))
        }
        try assertLintClean(files)
        let parsed = try parseWithPython(files)
        XCTAssertEqual(parsed.count, expected.count)
        for (i, p) in parsed.enumerated() {
            let e = expected[i]
            XCTAssertEqual(p["subject"] as? String, e.subject, "subject #\(i)")
            XCTAssertEqual(p["filename"] as? String, e.file.isEmpty ? "attachment" : e.file, "filename #\(i)")
            if let rfc = p["to_name_rfc2047"] as? String {
                XCTAssertEqual(rfc, e.name, "RFC 2047 name #\(i)")
            } else {
                XCTAssertEqual(p["to_name"] as? String, e.name, "name #\(i)")
            }
            XCTAssertEqual(p["defects"] as? [String], [], "defects #\(i)")
            XCTAssertLessThanOrEqual(p["max_line"] as? Int ?? 999, 78, "line length #\(i): \(p["long_line"] ?? "")")
        }
    }

    func testHeaderInjectionCannotStartANewHeader() throws {
        let evil = "Eve\r\nBcc: victim@example.org\r\n\r\nbody"
        let m = message(name: evil, subject: "Hi\r\nBcc: victim@example.org\nX-Evil: 1\r\rX", fileName: "a\r\nX-Evil: 1.pdf")
        let raw = try MIMEWriter.render(m)
        let headerBlock = raw.components(separatedBy: "\r\n\r\n")[0]
        for line in headerBlock.components(separatedBy: "\r\n") {
            XCTAssertFalse(line.hasPrefix("Bcc") || line.hasPrefix("X-Evil"), "injected header line: \(line)")
        }
        XCTAssertFalse(raw.contains("\r\nBcc:"))
        XCTAssertFalse(raw.contains("\r\nX-Evil"))
        let dir = TemporaryDirectory()
        let url = dir.file("evil.eml")
        try Data(raw.utf8).write(to: url)
        try assertLintClean([url.path])
        let p = try parseWithPython([url.path])[0]
        XCTAssertNil(p["bcc"] as? String)
        XCTAssertEqual(p["subject"] as? String, "Hi Bcc: victim@example.org X-Evil: 1  X")
    }

    func testAddressesThatWouldBreakTheHeaderAreRefused() {
        for bad in ["zoe@example.org\r\nBcc: x@y.z", "Zoë <zoe@example.org>", "", "no-at-sign", "zoë@example.org", "a@b, c@d"] {
            var m = message()
            m.to.address = bad
            XCTAssertThrowsError(try MIMEWriter.serialize(m), bad) { XCTAssertTrue("\($0)".hasPrefix("To: "), "\($0)") }
        }
        var m = message()
        m.messageID = "no brackets <allowed>"
        XCTAssertThrowsError(try MIMEWriter.serialize(m))
    }

    func testTextOnlyWithoutAttachmentIsASinglePart() throws {
        var m = message(html: nil)
        m.attachments = []
        m.replyTo = nil
        let raw = try MIMEWriter.render(m)
        XCTAssertTrue(raw.contains("Content-Type: text/plain; charset=utf-8\r\n"))
        XCTAssertFalse(raw.contains("multipart"))
        XCTAssertFalse(raw.contains("Reply-To"))
        XCTAssertTrue(raw.hasPrefix("Date: Fri, 04 Dec 2026 16:00:00 +0000\r\n"), String(raw.prefix(40)))
    }

    func testEncodedWordsSplitOnCharacterBoundariesAndStayShort() {
        let words = HeaderEncoding.encodedWords(String(repeating: "👩‍👩‍👧‍👦ü", count: 20), firstRoom: 69)
        for w in words {
            XCTAssertLessThanOrEqual(w.count, 75)
            let b64 = String(w.dropFirst(10).dropLast(2))
            XCTAssertNotNil(String(data: Data(base64Encoded: b64)!, encoding: .utf8), "word splits a UTF-8 sequence: \(w)")
        }
    }

    func testSubjectsKeepPlainWordsReadable() {
        XCTAssertEqual(HeaderEncoding.unstructured("Subject", "Your pass for My Event 2027, Zoë Müller!"),
                       "Subject: Your pass for My Event 2027, =?UTF-8?B?Wm/DqyBNw7xsbGVyIQ==?=")
        XCTAssertEqual(HeaderEncoding.unstructured("Subject", "Hi  Zoë"), "Subject: =?UTF-8?B?SGkgIFpvw6s=?=",
                       "double spaces survive only inside one encoded word")
        XCTAssertEqual(HeaderEncoding.unstructured("Subject", "=?utf-8?q?x?= ok"), "Subject: =?UTF-8?B?PT91dGYtOD9xP3g/PQ==?= ok")
    }

    func testQuotedPrintableRules() {
        XCTAssertEqual(BodyEncoding.quotedPrintable("a = b \nc\t\n.\nFrom x\nü"), "a =3D b=20\r\nc=09\r\n=2E\r\n=46rom x\r\n=C3=BC\r\n")
        let long = BodyEncoding.quotedPrintable(String(repeating: "ab", count: 100))
        for line in long.components(separatedBy: "\r\n") { XCTAssertLessThanOrEqual(line.count, 76) }
        XCTAssertEqual(long.replacingOccurrences(of: "=\r\n", with: ""), String(repeating: "ab", count: 100) + "\r\n")
    }

    func testPreviewShowsDecodedBodiesAndSummarisesThePDF() throws {
        let text = try MIMEWriter.render(message(text: "Grüße, Zoë\n"), style: .preview)
        XCTAssertTrue(text.contains("Grüße, Zoë\n"))
        XCTAssertTrue(text.contains("[attachment: Pass - Zoë Müller.pdf, application/pdf, 40 KB]"), text)
        XCTAssertFalse(text.contains("JVBER"))
        XCTAssertFalse(text.contains("\r\n"))
    }

    // MARK: helpers

    func assertLintClean(_ files: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let lint = try TestPaths.sharedTool("mime-lint")
        let r = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), [lint.path] + files)
        XCTAssertEqual(r.status, 0, "mime-lint: \(r.stdout)\(r.stderr)", file: file, line: line)
    }

    /// Parses each file with Python's email package (policy.default) and reports what a mail client would see.
    func parseWithPython(_ files: [String]) throws -> [[String: Any]] {
        let script = #"""
import sys, json, email, email.policy
from email.parser import BytesParser
from email.headerregistry import Address
out = []
pdf = open(sys.argv[1], "rb").read()
for path in sys.argv[2:]:
    raw = open(path, "rb").read()
    m = BytesParser(policy=email.policy.default).parsebytes(raw)
    def shape(p):
        if p.is_multipart():
            return p.get_content_type() + "[" + ",".join(shape(c) for c in p.iter_parts()) + "]"
        return p.get_content_type()
    defects = [type(d).__name__ for part in m.walk() for d in part.defects]
    defects += [n + ":" + type(d).__name__ for part in m.walk() for n, v in part.items() for d in getattr(v, "defects", ())]
    to = m["to"].addresses[0]
    body = m.get_body(("plain",))
    att = [p for p in m.iter_attachments()]
    data = att[0].get_payload(decode=True) if att else b""
    legacy = email.message_from_bytes(raw)["To"]
    rfc = None
    if "=?UTF-8?B?" in legacy:
        from email.header import decode_header, make_header
        rfc = str(make_header(decode_header(legacy.rsplit("<", 1)[0])))
    out.append({"to_name": to.display_name, "to_name_rfc2047": rfc, "to_addr": to.addr_spec, "subject": str(m["subject"]),
                "bcc": m["bcc"], "message_id": str(m["message-id"]),
                "text": body.get_payload(decode=True).decode("utf-8"),
                "filename": att[0].get_filename() if att else None, "pdf_size": len(data), "pdf_equal": data == pdf,
                "structure": shape(m), "defects": defects,
                "max_line": max(len(l) for l in raw.split(b"\r\n")),
                "long_line": next((l.decode("ascii", "replace") for l in raw.split(b"\r\n") if len(l) > 78), None)})
print(json.dumps(out))
"""#
        let dir = TemporaryDirectory()
        let pdfURL = dir.file("pass.pdf")
        try Self.pdf.write(to: pdfURL)
        let r = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, pdfURL.path] + files)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
    }
}
