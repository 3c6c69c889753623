import Foundation
import XCTest
import Core
import TestSupport
@testable import Passes

/// `passmail pass` and `passmail verify` driven like an organiser and a door volunteer would.
final class PassCommandLineTests: XCTestCase {
    private var ws: TemporaryDirectory!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: TestPaths.passmailBinary.path) else {
            throw XCTSkip("passmail binary not built (swift build --product passmail)")
        }
        ws = TemporaryDirectory("passes-cli")
        ws.write("passmail.toml", """
            [event]
            id = "conf2027"
            name = "Open Source Summit 2027"
            date = "12–14 March 2027"
            venue = "Kongresshaus Zürich"

            [pass]
            size = "A6"
            """)
        let config = try PassmailConfig.load(from: ws.file("passmail.toml"))
        try PassKeys.generate(for: Workspace(root: ws.url, config: config))
        ws.write("attendees.csv", """
            id,first_name,last_name,email,company,type
            a-1,Zoë,Müller,zoe@example.org,Acme GmbH,VIP
            a-2,John,Smith,john@example.org,,Speaker
            a-3,John,Smith,john.smith@example.com,Initech,VIP
            a-4,Ada,Lovelace,ada@example.org,Analytical Engines,Attendee
            """)
        let r = try passmail(["import", ws.file("attendees.csv").path], workspace: ws.url)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    /// Renders one pass and returns the token its QR code carries.
    private func renderAndScan(_ id: String) throws -> (pdf: URL, token: String) {
        let out = ws.file("\(id).pdf")
        let r = try passmail(["pass", id, "-o", out.path], workspace: ws.url)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .newlines), out.path)
        let png = ws.file(id)
        try runProcess(try requireTool("pdftoppm", package: "poppler-utils"), ["-r", "200", "-png", "-singlefile", out.path, png.path])
        let z = try runProcess(try requireTool("zbarimg", package: "zbar-tools"), ["--nodbus", "-q", "--raw", "-Sbinary", png.path + ".png"])
        XCTAssertEqual(z.status, 0, z.stderr)
        return (out, z.stdout)
    }

    func testOrganiserRendersOnePassAndTheDoorAcceptsItsQRCode() throws {
        let (pdf, token) = try renderAndScan("a-1")
        XCTAssertTrue(try pdfText(pdf).contains("Zoë Müller"))

        let ok = try passmail(["verify", token], workspace: ws.url)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.hasPrefix("valid: Zoë Müller (a-1) · VIP · Acme GmbH · event conf2027"), ok.stdout)

        var chars = Array(token)
        chars[chars.count / 2] = chars[chars.count / 2] == "Q" ? "R" : "Q"
        let bad = try passmail(["verify", String(chars)], workspace: ws.url)
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stdout, "")
        XCTAssertTrue(bad.stderr.contains("invalid pass"), bad.stderr)

        let list = try passmail(["list", "--json", "--ids", "a-1,a-2"], workspace: ws.url)
        XCTAssertTrue(list.stdout.contains("\"pass_generated_at\": \"20"), "a-1 records pass_generated_at: \(list.stdout)")
        XCTAssertTrue(list.stdout.contains("\"pass_generated_at\": null"), "a-2 has no pass yet: \(list.stdout)")
    }

    func testOutputIntoAFolderUsesTheUsualNameAndDefaultIsPassesFolder() throws {
        let folder = ws.file("print")
        let r = try passmail(["pass", "a-1", "-o", folder.path + "/"], workspace: ws.url)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Pass - Zoë Müller.pdf").path))

        let d = try passmail(["pass", "a-4"], workspace: ws.url)
        XCTAssertEqual(d.status, 0, d.stderr)
        XCTAssertEqual(d.stdout, ws.file("passes/Pass - Ada Lovelace.pdf").path + "\n")

        let piped = try passmail(["pass", "a-4", "-o", "-"], workspace: ws.url)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stdoutData.starts(with: Data("%PDF-".utf8)))
    }

    func testDoorLaptopVerifiesWithOnlyThePublicKeyOutsideAnyWorkspace() throws {
        let (_, token) = try renderAndScan("a-2")
        let door = TemporaryDirectory("door")
        let pub = door.file("event.pub.pem")
        try FileManager.default.copyItem(at: ws.file("keys/pass-signing.pub.pem"), to: pub)
        let r = try runProcess(TestPaths.passmailBinary, ["verify", "--public-key", pub.path, token], currentDirectory: door.url)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("valid: attendee a-2 · Speaker · event conf2027 · issued "), r.stdout)

        let noKey = try runProcess(TestPaths.passmailBinary, ["verify", token], currentDirectory: door.url)
        XCTAssertEqual(noKey.status, 64)
        XCTAssertTrue(noKey.stderr.contains("--public-key"), noKey.stderr)

        let otherEvent = try runProcess(TestPaths.passmailBinary, ["verify", "-k", pub.path, "--event", "conf2028", token],
                                        currentDirectory: door.url)
        XCTAssertEqual(otherEvent.status, 1)
        XCTAssertTrue(otherEvent.stderr.contains("not \"conf2028\""), otherEvent.stderr)

        let foreign = door.file("other.pub.pem")
        try Ed25519PrivateKey.generate().publicKey().pemData().write(to: foreign)
        let refused = try runProcess(TestPaths.passmailBinary, ["verify", "-k", foreign.path, token], currentDirectory: door.url)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("signed by a different key"), refused.stderr)
    }

    func testScannerPipesTokensAndGetsOneLinePerToken() throws {
        let (_, zoe) = try renderAndScan("a-1")
        let (_, ada) = try renderAndScan("a-4")
        let input = [zoe, String(ada.dropLast(10)), "", "hello", ada].joined(separator: "\n") + "\n"
        let r = try passmail(["verify"], workspace: ws.url, stdin: input)
        XCTAssertEqual(r.status, 1, "one invalid token makes the batch exit 1")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, r.stdout)
        XCTAssertTrue(lines[0].hasPrefix("valid: Zoë Müller"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("invalid: truncated"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("invalid: not a passmail pass"), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("valid: Ada Lovelace"), lines[3])

        let all = try passmail(["verify", "-", "--json"], workspace: ws.url, stdin: zoe + "\n")
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stdout.contains("\"valid\":true"), all.stdout)
        XCTAssertTrue(all.stdout.contains("\"name\":\"Zoë Müller\""), all.stdout)
    }

    func testRenderAllWithFiltersNamesFilesAfterPeopleAndToldApartNamesakes() throws {
        let out = ws.file("print")
        let r = try passmail(["pass", "--all", "--type", "VIP", "--out", out.path], workspace: ws.url)
        XCTAssertEqual(r.status, 0, r.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(files, ["Pass - John Smith.pdf", "Pass - Zoë Müller.pdf"])
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 2)
        XCTAssertTrue(r.stderr.contains("2 passes written"), r.stderr)

        let everyone = try passmail(["pass", "--all"], workspace: ws.url)
        XCTAssertEqual(everyone.status, 0, everyone.stderr)
        let defaults = try FileManager.default.contentsOfDirectory(atPath: ws.file("passes").path).sorted()
        XCTAssertEqual(defaults, ["Pass - Ada Lovelace.pdf", "Pass - John Smith (a-2).pdf", "Pass - John Smith (a-3).pdf",
                                  "Pass - Zoë Müller.pdf"])
    }

    func testMistakesGetClearErrorsAndNoHalfWrittenFiles() throws {
        let unknown = try passmail(["pass", "nobody"], workspace: ws.url)
        XCTAssertEqual(unknown.status, 65)
        XCTAssertTrue(unknown.stderr.contains("no attendee with id \"nobody\""), unknown.stderr)

        let none = try passmail(["pass", "--all", "--type", "Keynote"], workspace: ws.url)
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertEqual(none.stdout, "")
        XCTAssertTrue(none.stderr.contains("no attendees match the filters"), none.stderr)

        XCTAssertEqual(try passmail(["pass"], workspace: ws.url).status, 64)
        XCTAssertEqual(try passmail(["pass", "a-1", "--all"], workspace: ws.url).status, 64)
        XCTAssertEqual(try passmail(["pass", "a-1", "--type", "VIP"], workspace: ws.url).status, 64)

        ws.write("passmail.toml", """
            [event]
            id = "conf2027"
            [pass]
            logo = "assets/logo.png"
            """)
        let noLogo = try passmail(["pass", "--all"], workspace: ws.url)
        XCTAssertEqual(noLogo.status, 66)
        XCTAssertTrue(noLogo.stderr.contains("pass.logo"), noLogo.stderr)
        let passes = (try? FileManager.default.contentsOfDirectory(atPath: ws.file("passes").path)) ?? []
        XCTAssertEqual(passes, [], "nothing written, not even a temporary file")

        ws.write("passmail.toml", "[pass]\nsize = \"B5\"\n")
        let badSize = try passmail(["pass", "a-1"], workspace: ws.url)
        XCTAssertEqual(badSize.status, 78)
        XCTAssertTrue(badSize.stderr.contains("pass.size: \"B5\""), badSize.stderr)
    }

    func testCodeReadAloudFindsThePerson() throws {
        let (pdf, _) = try renderAndScan("a-4")
        let text = try pdfText(pdf)
        let code = try XCTUnwrap(text.split(whereSeparator: \.isWhitespace).map(String.init).first { HumanCode.normalise($0) == $0 }, text)
        let r = try passmail(["verify", "--code", code.lowercased().replacingOccurrences(of: "-", with: " ")], workspace: ws.url)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("valid: Ada Lovelace (a-4) · Attendee · Analytical Engines"), r.stdout)

        let wrong = try passmail(["verify", "--code", "2222-2222"], workspace: ws.url)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("no attendee on the roster has code 2222-2222"), wrong.stderr)
    }

    func testValidPassOfSomeoneRemovedFromTheRosterIsFlagged() throws {
        let (_, token) = try renderAndScan("a-2")
        ws.write("attendees.csv", "id,first_name,last_name,email\nz-9,Other,Person,other@example.org\n")
        for file in ["passmail.db", "passmail.db-wal", "passmail.db-shm"] { try? FileManager.default.removeItem(at: ws.file(file)) }
        XCTAssertEqual(try passmail(["import", ws.file("attendees.csv").path], workspace: ws.url).status, 0)
        let r = try passmail(["verify", token], workspace: ws.url)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("valid: attendee a-2 (not on the roster) · Speaker"), r.stdout)
        let j = try passmail(["verify", "--json", token], workspace: ws.url)
        XCTAssertTrue(j.stdout.contains("\"on_roster\":false"), j.stdout)
    }

    func testPassesForAnotherEventAreRefusedAtThisEventsDoor() throws {
        let (_, token) = try renderAndScan("a-1")
        ws.write("passmail.toml", "[event]\nid = \"conf2028\"\n")
        let r = try passmail(["verify", token], workspace: ws.url)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("pass is for event \"conf2027\", not \"conf2028\""), r.stderr)
    }
}
