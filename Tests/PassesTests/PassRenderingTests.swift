import Foundation
import XCTest
import Core
import TestSupport
@testable import Passes

/// Passes as people will see them: every size, awkward names, logos, and configuration mistakes.
final class PassRenderingTests: XCTestCase {
    /// A 24×24 PNG checkerboard, the smallest honest logo.
    static let logoPNG = Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAALklEQVR42mO4YGCAhhQcDqAhYtQwjBpER4PI04apZtQgeho0mrJH89qoQXQxCACEYZofCD/ozAAAAABJRU5ErkJggg==")!

    func testEverySizeRendersAPageOfThatSizeWithAScannableCode() throws {
        let expected: [(String, Double, Double)] = [("A6", 297.6, 419.5), ("A4", 595.3, 841.9), ("badge", 288, 216),
                                                     ("100x150 mm", 283.5, 425.2), ("50x50 mm", 141.7, 141.7),
                                                     ("90 × 55 mm", 255.1, 155.9)]
        for (size, w, h) in expected {
            let fx = try PassFixture(size: size)
            let pass = try fx.issuer().issue(for: attendee("Zoë", "Müller"))
            let url = try fx.save(pass, as: "pass-\(size.filter { $0.isLetter || $0.isNumber }).pdf")
            let info = try runProcess(try requireTool("pdfinfo", package: "poppler-utils"), [url.path]).stdout
            let line = info.split(separator: "\n").first { $0.hasPrefix("Page size:") } ?? ""
            XCTAssertTrue(line.contains(String(format: "%.0f", w.rounded(.down))) || line.contains(String(format: "%.0f", w.rounded())),
                          "\(size): \(line)")
            XCTAssertTrue(line.contains(String(format: "%.0f", h.rounded(.down))) || line.contains(String(format: "%.0f", h.rounded())),
                          "\(size): \(line)")
            XCTAssertTrue(try pdfText(url).contains("Zoë Müller"), size)
            try assertQRCode(url, decodesTo: pass.token)
        }
    }

    func testVeryLongNameIsShrunkAndWrappedButNeverCut() throws {
        let fx = try PassFixture()
        let name = attendee("Maria Guadalupe Alejandra Esperanza", "de los Santos Fernández-Villaverde y Montenegro")
        let pass = try fx.issuer().issue(for: name)
        let url = try fx.save(pass)
        let words = try pdfText(url).split(whereSeparator: { $0.isWhitespace }).map(String.init)
        for word in "Maria Guadalupe Alejandra Esperanza de los Santos Fernández-Villaverde y Montenegro".split(separator: " ") {
            XCTAssertTrue(words.contains(String(word)), "\(word) missing from \(words)")
        }
        try assertQRCode(url, decodesTo: pass.token)
    }

    func testSingleUnbreakableNameShrinksOntoTheLine() throws {
        let fx = try PassFixture(size: "badge")
        let long = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfaltigkeitbeschutzen"
        let pass = try fx.issuer().issue(for: attendee(long, ""))
        let url = try fx.save(pass)
        XCTAssertTrue(try pdfText(url).contains(long))
        try assertQRCode(url, decodesTo: pass.token)
    }

    func testNonLatinNamesRenderAndStayExtractable() throws {
        let fx = try PassFixture()
        for (first, last) in [("Siobhán", "Ó Súilleabháin"), ("Łukasz", "Żółć"), ("Ελένη", "Παπαδοπούλου"), ("Дмитрий", "Шостакович"),
                              ("Nguyễn", "Thị Minh Khai"), ("Ayşe", "Öztürk")] {
            let pass = try fx.issuer().issue(for: attendee(first, last))
            let url = try fx.save(pass)
            let text = try pdfText(url)
            XCTAssertTrue(text.contains(first) && text.contains(last), "\(first) \(last) not in: \(text)")
        }
    }

    func testScriptsDejaVuLacksStillGetTheirQRCode() throws {
        let fx = try PassFixture()
        for (first, last) in [("太郎", "山田"), ("민준", "김"), ("🎉 Party", "Person 🦄"), ("\u{0007}Bell", "\u{202E}Override"),
                              ("محمد", "عبد الله"), ("דוד", "לוי"), ("प्रिया", "शर्मा"), ("ᚠᚢᚦ", "\u{10FFFF}")] {
            let pass = try fx.issuer().issue(for: attendee(first, last, company: "株式会社テスト"))
            let url = try fx.save(pass)
            try assertQRCode(url, decodesTo: pass.token)
        }
    }

    func testCJKNameIsDrawnWithAFallbackFontWhenOneIsInstalled() throws {
        let fc = try requireTool("fc-list", package: "fontconfig")
        guard !(try runProcess(fc, [":lang=ja"]).stdout.isEmpty) else { throw XCTSkip("no Japanese font installed") }
        let fx = try PassFixture()
        let url = try fx.save(try fx.issuer().issue(for: attendee("太郎", "山田")))
        XCTAssertTrue(try pdfText(url).contains("太郎 山田"))
    }

    func testControlCharactersFromSpreadsheetsDoNotCutTheNameShort() throws {
        let fx = try PassFixture()
        let url = try fx.save(try fx.issuer().issue(for: attendee("Ada\u{0000}Augusta\t", "Love\u{FFFF}lace\r\n")))
        let text = try pdfText(url)
        XCTAssertTrue(text.contains("Ada Augusta") && text.contains("Love\u{FFFD}lace"), text)
    }

    func testEmptyCompanyLeavesNoTrace() throws {
        let fx = try PassFixture()
        let pass = try fx.issuer().issue(for: attendee("Ada", "Lovelace", company: "  "))
        let lines = try pdfText(try fx.save(pass)).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: CharacterSet.whitespaces.union(["\u{0C}"])) }.filter { !$0.isEmpty }
        let nameIndex = try XCTUnwrap(lines.firstIndex(of: "Ada Lovelace"), "\(lines)")
        XCTAssertEqual(Array(lines[(nameIndex + 1)...]), [pass.humanCode, "VIP"], "after the name: only the code and the band")
    }

    func testPassWithoutATypeSaysAttendee() throws {
        let fx = try PassFixture()
        let pass = try fx.issuer().issue(for: attendee("Ada", "Lovelace", type: ""))
        XCTAssertTrue(try pdfText(try fx.save(pass)).contains("ATTENDEE"))
        XCTAssertEqual(try PassVerifier(publicKey: try fx.issuer().publicKey).verify(pass.token).passType, "")
    }

    func testLogoIsDrawn() throws {
        let fx = try PassFixture(logo: "assets/logo.png")
        try FileManager.default.createDirectory(at: fx.dir.file("assets"), withIntermediateDirectories: true)
        try Self.logoPNG.write(to: fx.dir.file("assets/logo.png"))
        let pass = try fx.issuer().issue(for: attendee("Zoë", "Müller"))
        let url = try fx.save(pass)
        let images = try runProcess(try requireTool("pdfimages", package: "poppler-utils"), ["-list", url.path]).stdout
        XCTAssertTrue(images.contains("24    24"), images)
        try assertQRCode(url, decodesTo: pass.token)
    }

    func testHugeLogoIsScaledDownOnceInsteadOfBloatingEveryPass() throws {
        let fx = try PassFixture(logo: "big.png")
        let script = """
            import struct, zlib, sys
            w, h = 3000, 1500
            row = b"\\x00" + bytes([40, 90, 200]) * w
            def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
            sys.stdout.buffer.write(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(row * h)) + chunk(b"IEND", b""))
            """
        let png = try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script])
        XCTAssertEqual(png.status, 0, png.stderr)
        try png.stdoutData.write(to: fx.dir.file("big.png"))
        let url = try fx.save(try fx.issuer().issue(for: attendee("Zoë", "Müller")))
        let images = try runProcess(try requireTool("pdfimages", package: "poppler-utils"), ["-list", url.path]).stdout
        XCTAssertTrue(images.contains("600   300"), images)
    }

    func testMissingLogoNamesTheSettingAndTheFile() throws {
        let fx = try PassFixture(logo: "assets/missing.png")
        XCTAssertThrowsError(try fx.issuer()) { error in
            XCTAssertTrue("\(error)".contains("pass.logo"), "\(error)")
            XCTAssertTrue("\(error)".contains(fx.dir.file("assets/missing.png").path), "\(error)")
            XCTAssertEqual((error as? UserFacingError)?.exitCode, .noInput)
        }
    }

    func testLogoThatIsNotAPNGIsRefused() throws {
        let fx = try PassFixture(logo: "logo.jpg")
        fx.dir.write("logo.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46])
        XCTAssertThrowsError(try fx.issuer()) { error in
            XCTAssertTrue("\(error)".contains("pass.logo"), "\(error)")
            XCTAssertTrue("\(error)".contains("must be a PNG"), "\(error)")
        }
    }

    func testUnreadableLogoIsRefused() throws {
        guard getuid() != 0 else { throw XCTSkip("root reads any file") }
        let fx = try PassFixture(logo: "logo.png")
        try Self.logoPNG.write(to: fx.dir.file("logo.png"))
        chmod(fx.dir.file("logo.png").path, 0)
        XCTAssertThrowsError(try fx.issuer()) { XCTAssertTrue("\($0)".contains("not readable"), "\($0)") }
    }

    func testUnknownSizeNamesTheSettingAndTheChoices() throws {
        for bad in ["B5", "100x mm", "100x150", "10x10 mm", "abc x def mm", ""] {
            let fx = try PassFixture(size: bad)
            XCTAssertThrowsError(try fx.issuer(), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("pass.size:"), "\(error)")
                XCTAssertEqual((error as? UserFacingError)?.exitCode, .config)
            }
        }
    }

    func testBandColourComesFromTheConfigPerType() throws {
        let palette = PassPalette(colors: ["VIP": "#ffd600"])
        XCTAssertEqual(palette.color(for: "vip"), RGB(hex: "#ffd600"))
        XCTAssertEqual(palette.color(for: "vip").readableText, .black, "dark text on yellow")
        XCTAssertEqual(palette.color(for: "Speaker").readableText, .white, "light text on purple")
        XCTAssertEqual(palette.color(for: "Hackathon"), PassPalette(colors: [:]).color(for: "hackathon"), "stable default")
    }

    func testManyWorkersCanIssueAtOnce() throws {
        let fx = try PassFixture()
        let issuer = try fx.issuer()
        let verifier = PassVerifier(publicKey: issuer.publicKey)
        let results = ResultBox(count: 24)
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            results.set(i, Result { try issuer.issue(for: attendee("Person", "\(i)", id: "p-\(i)")) })
        }
        for (i, r) in results.all.enumerated() {
            let pass = try XCTUnwrap(r).get()
            XCTAssertEqual(try verifier.verify(pass.token).attendeeID, "p-\(i)")
            XCTAssertTrue(pass.pdf.starts(with: Data("%PDF".utf8)))
        }
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<IssuedPass, any Error>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<IssuedPass, any Error>) { lock.lock(); slots[i] = r; lock.unlock() }
    var all: [Result<IssuedPass, any Error>?] { lock.lock(); defer { lock.unlock() }; return slots }
}

/// The largest token the field rules allow still makes a QR code that fits and scans on the smallest pages.
final class LargestTokenTests: XCTestCase {
    func testLongestPossibleTokenFitsEvenTheSmallestPass() throws {
        let id32 = String(repeating: "x", count: 32)
        for size in ["badge", "A6", "70x70 mm"] {
            let fx = try PassFixture(size: size)
            fx.config.event.id = String(repeating: "e", count: 32)
            let pass = try fx.issuer().issue(for: attendee("Zoë", "Müller", id: id32, type: String(repeating: "T", count: 32)))
            XCTAssertEqual(pass.token.count, 246, pass.token)
            let qr = try QRCode(encoding: pass.token)
            XCTAssertLessThanOrEqual(qr.size, 65, "QR version 12 or lower")
            try assertQRCode(try fx.save(pass), decodesTo: pass.token)
        }
    }

    func testPageTooSmallForTheQRCodeIsRefusedRatherThanPrintedUnscannable() throws {
        let fx = try PassFixture(size: "50x50 mm")
        fx.config.event.id = String(repeating: "e", count: 32)
        XCTAssertThrowsError(try fx.issuer().issue(for: attendee("Zoë", "Müller", id: String(repeating: "x", count: 32)))) { error in
            XCTAssertTrue("\(error)".contains("pass.size: \"50x50 mm\""), "\(error)")
            XCTAssertTrue("\(error)".contains("choose a larger size"), "\(error)")
        }
    }
}
