import Foundation
import XCTest
import Core
import TestSupport
@testable import Passes

/// A temporary workspace with a config and a fresh signing key, as `passmail init` leaves it.
final class PassFixture {
    let dir = TemporaryDirectory("passes")
    var config = PassmailConfig()

    init(size: String = "A6", logo: String? = nil, colors: [String: String] = [:], generateKey: Bool = true) throws {
        config.event.id = "conf2027"
        config.event.name = "Open Source Summit 2027"
        config.event.date = "12–14 March 2027"
        config.event.venue = "Kongresshaus Zürich"
        config.pass.size = size
        config.pass.logo = logo
        config.pass.colors = colors
        if generateKey { try PassKeys.generate(for: workspace) }
    }

    var workspace: Workspace { Workspace(root: dir.url, config: config) }

    func issuer(environment: [String: String] = [:]) throws -> PassIssuer {
        try PassIssuer(workspace: workspace, environment: environment)
    }

    /// Writes the PDF where the command-line tools can read it.
    func save(_ pass: IssuedPass, as name: String = "pass.pdf") throws -> URL {
        let url = dir.file(name)
        try pass.pdf.write(to: url)
        return url
    }
}

func attendee(_ first: String, _ last: String, id: String = "a-1", company: String = "Acme GmbH",
              type: String = "VIP") -> Attendee {
    Attendee(id: id, firstName: first, lastName: last, email: "\(id)@example.org", company: company, passType: type)
}

/// Finds a program on PATH, or skips the test with the package that provides it.
func requireTool(_ name: String, package: String) throws -> URL {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    throw XCTSkip("\(name) not installed (apt-get install \(package))")
}

/// The text of a PDF as `pdftotext` extracts it (layout off, UTF-8).
func pdfText(_ url: URL) throws -> String {
    let tool = try requireTool("pdftotext", package: "poppler-utils")
    let r = try runProcess(tool, ["-enc", "UTF-8", url.path, "-"])
    XCTAssertEqual(r.status, 0, r.stderr)
    return r.stdout
}

/// Decodes the QR code on the rendered PDF and checks it is exactly `token` (shared qr-check tool).
func assertQRCode(_ url: URL, decodesTo token: String, file: StaticString = #filePath, line: UInt = #line) throws {
    _ = try requireTool("pdftoppm", package: "poppler-utils")
    _ = try requireTool("zbarimg", package: "zbar-tools")
    let checker = TestPaths.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/tools/qr-check")
    if FileManager.default.isExecutableFile(atPath: checker.path) {
        let r = try runProcess(checker, [url.path, token])
        XCTAssertEqual(r.status, 0, "QR code did not decode to the token: \(r.stdout) \(r.stderr)", file: file, line: line)
        return
    }
    // Same steps as qr-check, for machines without the shared tools folder.
    let png = url.deletingPathExtension()
    let raster = try runProcess(try requireTool("pdftoppm", package: "poppler-utils"), ["-r", "300", "-png", "-singlefile", url.path, png.path])
    XCTAssertEqual(raster.status, 0, raster.stderr, file: file, line: line)
    let z = try runProcess(try requireTool("zbarimg", package: "zbar-tools"), ["--nodbus", "-q", "--raw", "-Sbinary", png.path + ".png"])
    XCTAssertEqual(z.stdout, token, "QR code did not decode to the token: \(z.stderr)", file: file, line: line)
}
