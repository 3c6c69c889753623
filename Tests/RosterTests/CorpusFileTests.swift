import XCTest
import Core
import TestSupport
@testable import Roster

/// Whole files from other projects (csvkit, rust-csv, mafintosh/csv-parser, mailmerge):
/// each must read or fail with a clear error naming the file — never a crash, never U+FFFD.
final class CorpusFileTests: XCTestCase {
    /// Decodes and parses a file the way `passmail import` does, before header mapping.
    func read(_ url: URL, encoding: TextEncodingChoice? = nil) throws -> [CSVRecord] {
        let bytes = [UInt8](try Data(contentsOf: url))
        let decoded = try TextDecoding.decode(bytes, encoding: encoding, file: url.lastPathComponent)
        // location_coordinates.csv holds U+FFFD characters upstream; anywhere else one would be ours.
        if url.lastPathComponent != "location_coordinates.csv" {
            XCTAssertFalse(String(decoding: decoded.utf8, as: UTF8.self).contains("\u{FFFD}"), url.lastPathComponent)
        }
        return try CSVParser.parse(decoded.utf8, delimiter: DelimiterSniffer.sniff(decoded.utf8), file: url.lastPathComponent)
            .filter { !$0.isBlank }
    }

    func csvFiles(under root: URL) -> [URL] {
        let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        return e.compactMap { $0 as? URL }.filter { ["csv", "tsv"].contains($0.pathExtension) }.sorted { $0.path < $1.path }
    }

    func testEveryCorpusFileReadsOrFailsClearly() throws {
        var files: [URL] = []
        for name in ["csvkit-examples", "rust-csv", "mafintosh-csv-parser", "mailmerge", "csv-spectrum", "papaparse"] {
            files += csvFiles(under: try TestPaths.corpus(name))
        }
        XCTAssertGreaterThan(files.count, 50)
        for url in files {
            do {
                _ = try read(url)
                // Through the importer too: either attendees, or "no email column" naming the file.
                let bytes = [UInt8](try Data(contentsOf: url))
                do {
                    _ = try RosterImporter.parse(bytes, file: url.lastPathComponent)
                } catch let e as UserFacingError {
                    XCTAssertTrue(e.description.hasPrefix(url.lastPathComponent), e.description)
                    XCTAssertEqual(e.exitCode, .dataError)
                }
            } catch let e as CSVError {
                XCTAssertEqual(e.file, url.lastPathComponent)
                XCTAssertFalse(e.reason.isEmpty)
            }
        }
    }

    func testCSVKitSpecialFiles() throws {
        let root = try TestPaths.corpus("csvkit-examples")
        XCTAssertThrowsError(try read(root.appendingPathComponent("null_byte.csv"))) { e in
            XCTAssertEqual("\(e)", "null_byte.csv:2: byte offset 6: NUL byte in the file (a binary file, or UTF-16 without a byte-order mark?); save it as UTF-8 CSV")
        }
        for name in ["test_utf16_little.csv", "test_utf16_big.csv"] {
            let r = try read(root.appendingPathComponent(name))
            XCTAssertEqual(r.map(\.fields), [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "ʤ"]], name)
        }
        XCTAssertEqual(try read(root.appendingPathComponent("test_utf8_bom.csv"))[0].fields, ["foo", "bar", "baz"])
        XCTAssertThrowsError(try read(root.appendingPathComponent("test_latin1.csv"))) { e in
            XCTAssertTrue("\(e)".hasPrefix("test_latin1.csv:3: byte offset 16: invalid UTF-8 (byte 0xA9)"), "\(e)")
        }
        XCTAssertEqual(try read(root.appendingPathComponent("test_latin1.csv"), encoding: .latin1).last?.fields, ["4", "5", "©"])
        let mac = try read(root.appendingPathComponent("mac_newlines.csv"))
        XCTAssertEqual(mac.map(\.fields), [["a", "b", "c"], ["1", "2", "3"], ["Once upon\ra time", "5", "6"]])
        XCTAssertEqual(try read(root.appendingPathComponent("dummy.tsv"))[1].fields, ["1", "2", "3"])
        XCTAssertThrowsError(try RosterImporter.parse([UInt8](try Data(contentsOf: root.appendingPathComponent("empty.csv"))), file: "empty.csv")) { e in
            XCTAssertTrue("\(e)".contains("the file is empty"), "\(e)")
        }
        let header = try read(root.appendingPathComponent("test_header_newline.csv"))
        XCTAssertEqual(header[0].fields.count, 3)
        XCTAssertEqual(try read(root.appendingPathComponent("test_skip_lines.csv"))[0].line, 4)
    }

    func testRustCSVLatin1FileIsAClearErrorOrADeclaredLatin1Import() throws {
        let root = try TestPaths.corpus("rust-csv")
        let url = root.appendingPathComponent("uspop-latin1.csv")
        XCTAssertThrowsError(try read(url)) { e in
            let err = e as! CSVError
            // 0-based, as hex viewers count (SOURCE.txt's "offset 126" is cmp's 1-based byte 126).
            XCTAssertEqual(err.byteOffset, 125)
            XCTAssertEqual(err.line, 4)
            XCTAssertNotNil(err.line)
            XCTAssertTrue(err.description.contains("--encoding"))
        }
        let latin = try read(url, encoding: .latin1)
        let plain = try read(root.appendingPathComponent("uspop.csv"))
        XCTAssertEqual(latin.count, plain.count)
        let differing = zip(latin, plain).filter { $0.fields != $1.fields }
        XCTAssertEqual(differing.count, 1)
        XCTAssertTrue(differing[0].0.fields.joined().contains("Õakman"))
    }

    func testMafintoshFixtures() throws {
        let root = try TestPaths.corpus("mafintosh-csv-parser")
        let utf16 = try read(root.appendingPathComponent("fixtures/bench/utf16.csv"))
        XCTAssertGreaterThan(utf16.count, 1)
        XCTAssertThrowsError(try read(root.appendingPathComponent("fixtures/bench/latin.csv")))
        XCTAssertFalse(try read(root.appendingPathComponent("fixtures/bench/latin.csv"), encoding: .latin1).isEmpty)
        let mac = try read(root.appendingPathComponent("fixtures/bench/mac-newlines.csv"))
        XCTAssertGreaterThan(mac.count, 1)
        XCTAssertEqual(Set(mac.map(\.fields.count)).count, 1, "CR-only line ends split records")
        // strict.csv: a row longer than the header is reported by the importer with its line.
        var text = try String(contentsOf: root.appendingPathComponent("fixtures/strict.csv"), encoding: .utf8)
        text = text.replacingOccurrences(of: "a,b,c", with: "email,b,c")
        for n in 1...9 { text = text.replacingOccurrences(of: "\n\(n),", with: "\nu\(n)@example.org,") }
        let parsed = try RosterImporter.parse(Array(text.utf8), file: "strict.csv")
        XCTAssertEqual(parsed.rejected.count, 1)
        XCTAssertTrue(parsed.rejected[0].message.contains("has 4 fields but the header has 3"), parsed.rejected[0].message)
    }

    func testMailmergeDatabaseWithBOMAndCRLFImports() throws {
        let root = try TestPaths.corpus("mailmerge")
        let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent("testdata/mailmerge_database_with_BOM.csv")))
        let parsed = try RosterImporter.parse(bytes, file: "db.csv")
        XCTAssertEqual(parsed.attendees.map(\.fullName), ["My Name"])
        XCTAssertEqual(parsed.attendees.map(\.email), ["to@test.com"])
        XCTAssertEqual(parsed.encoding, "UTF-8 with BOM")
    }
}
