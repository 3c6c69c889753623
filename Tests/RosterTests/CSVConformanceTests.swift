import XCTest
import Core
import TestSupport
@testable import Roster

/// The CSV reader against other projects' test data (`../shared/corpora`), skipped when absent.
///
/// Deliberate differences from those readers are listed, each with its reason,
/// rather than silently filtered out.
final class CSVConformanceTests: XCTestCase {
    func json(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed])
    }

    /// Records as plain arrays; blank lines (which the importer skips) as [].
    func rows(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [[String]] {
        try CSVParser.parse(Array(text.utf8), delimiter: delimiter, file: "t.csv").map { $0.isBlank ? [] : $0.fields }
    }

    // MARK: csv-spectrum: every file but the one broken upstream, compared with its JSON.

    func testCSVSpectrum() throws {
        let root = try TestPaths.corpus("csv-spectrum")
        let csvs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("csvs").path).sorted()
        var checked = 0
        for name in csvs where name.hasSuffix(".csv") && name != "location_coordinates.csv" {
            let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent("csvs/\(name)")))
            let decoded = try TextDecoding.decode(bytes, encoding: nil, file: name)
            let records = try CSVParser.parse(decoded.utf8, delimiter: DelimiterSniffer.sniff(decoded.utf8), file: name)
                .filter { !$0.isBlank }
            let expected = try json(root.appendingPathComponent("json/\(name.dropLast(4)).json")) as! [[String: String]]
            let header = records.first?.fields ?? []
            let got = records.dropFirst().map { r in Dictionary(uniqueKeysWithValues: zip(header, r.fields)) }
            XCTAssertEqual(got, expected, name)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 11)
    }

    /// The latin-1 file removed upstream: a clear UTF-8 error, or the right text with --encoding latin1.
    func testCSVSpectrumLatin1() throws {
        let root = try TestPaths.corpus("csv-spectrum")
        let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent("csvs-removed-latin1.csv")))
        XCTAssertThrowsError(try TextDecoding.decode(bytes, encoding: nil, file: "latin1.csv")) { e in
            let msg = "\(e)"
            XCTAssertTrue(msg.contains("latin1.csv:"), msg)
            XCTAssertTrue(msg.contains("invalid UTF-8"), msg)
            XCTAssertTrue(msg.contains("--encoding"), msg)
        }
        let decoded = try TextDecoding.decode(bytes, encoding: .latin1, file: "latin1.csv")
        let records = try CSVParser.parse(decoded.utf8, delimiter: UInt8(ascii: ","), file: "latin1.csv").filter { !$0.isBlank }
        let expected = try json(root.appendingPathComponent("json-removed-latin1.json")) as! [[String: String]]
        let header = records[0].fields
        XCTAssertEqual(records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.fields)) }, expected)
        XCTAssertFalse(String(decoding: decoded.utf8, as: UTF8.self).contains("\u{FFFD}"))
    }

    // MARK: papaparse: default-config cases without expected errors.

    func testPapaParse() throws {
        let root = try TestPaths.corpus("papaparse")
        let all = try json(root.appendingPathComponent("test-cases.json")) as! [String: [[String: Any]]]
        // Where papaparse (a lenient streaming parser for the browser) and passmail deliberately differ:
        let differences: [String: String] = [
            "Mixed slash n and slash r should choose first as precident":
                "papaparse picks one line-ending style per file; passmail (like Python and RFC 4180 readers) ends a record at LF, CRLF or a lone CR, so old Mac files read right",
            "Pipe delimiter is guessed correctly when mixed with comas":
                "ambiguous: , and | both split every row into 2 fields; passmail prefers the comma",
        ]
        var checked = 0
        for (group, cases) in all {
            for c in cases {
                let desc = c["description"] as? String ?? "?"
                guard (c["uses_js_function"] as? Bool) != true, let input = c["input"] as? String,
                      let expected = c["expected"] as? [String: Any], let data = expected["data"] as? [[Any]],
                      (expected["errors"] as? [Any])?.isEmpty ?? true else { continue }
                let config = c["config"] as? [String: Any] ?? [:]
                let keys = Set(config.keys)
                guard keys.isSubset(of: ["delimiter", "newline"]) else { continue }
                if let nl = config["newline"] as? String, !["\n", "\r\n", "\r", ""].contains(nl) { continue }
                // papaparse guesses the delimiter unless told; so does passmail.
                var delimiter = DelimiterSniffer.sniff(Array(input.utf8))
                if let d = config["delimiter"] as? String, !d.isEmpty {
                    guard d.utf8.count == 1, d != "\n", d != "\r", d != "\"" else { continue }
                    delimiter = d.utf8.first!
                }
                if differences[desc] != nil { continue }
                let want = data.map { $0.map { "\($0)" } }.filter { $0 != [""] }
                let got = try rows(input, delimiter: delimiter).filter { !$0.isEmpty && $0 != [""] }
                XCTAssertEqual(got, want, "\(group): \(desc) — input \(input.debugDescription)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 40)
    }

    // MARK: cpython test_csv: excel-dialect read cases.

    func testCPythonReadCases() throws {
        let root = try TestPaths.corpus("cpython-test-csv")
        let doc = try json(root.appendingPathComponent("read_cases.json")) as! [String: Any]
        let cases = doc["extracted"] as! [[String: Any]]
        // Python's reader (strict=False) returns a field cut short by the end of the file;
        // passmail refuses the file instead: an unclosed quote means the rest is misread.
        let unclosedQuote: Set<Int> = [394, 395]
        var checked = 0
        for c in cases {
            let line = c["line"] as! Int
            let kwargs = c["reader_kwargs"] as? [String: Any] ?? [:]
            guard kwargs.isEmpty || (kwargs.count == 1 && (kwargs["delimiter"] as? String).map({ [",", ";", "\t", "|"].contains($0) }) == true)
            else { continue }
            let text: String
            if let lines = c["input_lines"] as? [String] {
                text = lines.map { l in ["\n", "\r"].contains(l.unicodeScalars.last) ? l : l + "\n" }.joined()
            } else if let input = c["input"] as? String {
                text = input
            } else { continue }
            guard c["class"] as? String != "TestEscapedExcel", c["class"] as? String != "TestQuotedEscapedExcel" else { continue }
            let delimiter = (kwargs["delimiter"] as? String)?.utf8.first ?? UInt8(ascii: ",")
            let expected = (c["expected_rows"] as! [[String]])
            if unclosedQuote.contains(line) {
                XCTAssertThrowsError(try rows(text, delimiter: delimiter), "line \(line)")
                continue
            }
            XCTAssertEqual(try rows(text, delimiter: delimiter), expected, "test_csv.py line \(line): \(text.debugDescription)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 30)
    }

    /// The sniffer cases whose delimiter is one passmail considers.
    func testCPythonSnifferCases() throws {
        let root = try TestPaths.corpus("cpython-test-csv")
        let cases = try json(root.appendingPathComponent("sniffer_cases.json")) as! [[String: Any]]
        var checked = 0
        for c in cases {
            guard let text = c["text"] as? String, let want = c["expected_delimiter"] as? String,
                  [",", ";", "\t", "|"].contains(want) else { continue }
            XCTAssertEqual(DelimiterSniffer.name(DelimiterSniffer.sniff(Array(text.utf8))),
                           DelimiterSniffer.name(want.utf8.first!), c["name"] as? String ?? "")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 3)
    }
}
