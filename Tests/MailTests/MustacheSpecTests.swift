import XCTest
import TestSupport
@testable import Mail

/// The official Mustache spec (interpolation, sections, inverted, comments) passes unchanged.
final class MustacheSpecTests: XCTestCase {
    func testInterpolationSpec() throws { try runSpec("interpolation") }
    func testSectionsSpec() throws { try runSpec("sections") }
    func testInvertedSpec() throws { try runSpec("inverted") }
    func testCommentsSpec() throws { try runSpec("comments") }

    private func runSpec(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = try TestPaths.corpus("mustache-spec").appendingPathComponent("\(name).json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let tests = json["tests"] as! [[String: Any]]
        XCTAssertFalse(tests.isEmpty)
        var failures: [String] = []
        for test in tests {
            let title = test["name"] as! String
            let template = test["template"] as! String
            let expected = test["expected"] as! String
            do {
                let rendered = try MustacheTemplate(template, name: title).render(MustacheValue(json: test["data"]))
                if rendered != expected {
                    failures.append("\(title): expected \(expected.debugDescription), got \(rendered.debugDescription)")
                }
            } catch {
                failures.append("\(title): \(error)")
            }
        }
        XCTAssert(failures.isEmpty, "\(name).json: \(failures.count) of \(tests.count) failed:\n" + failures.joined(separator: "\n"),
                  file: file, line: line)
    }
}
