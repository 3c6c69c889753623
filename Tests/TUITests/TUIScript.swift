import Foundation
import XCTest
import Core
import Engine
@testable import TUI

/// A model driven like a user drives the terminal: `press("/gra")`, then look at the frame.
struct TUIScript {
    var model: AppModel
    /// Every effect returned so far, in order.
    var effects: [Effect] = []

    init(attendees: [Attendee] = SampleRoster.attendees, width: Int = 100, height: Int = 30, unfinished: RunInfo? = nil) {
        model = AppModel(context: SampleRoster.context, attendees: attendees, width: width, height: height, unfinished: unfinished)
    }

    /// Types each character as a key; `<name>` spells a named key: "<space>", "<enter>", "<esc>", "<down>".
    @discardableResult
    mutating func press(_ script: String) -> [Effect] {
        var out: [Effect] = []
        var rest = Substring(script)
        while let c = rest.first {
            if c == "<", let close = rest.firstIndex(of: ">"), let key = Key(name: String(rest[rest.index(after: rest.startIndex)..<close])) {
                out += send(.keyPressed(key))
                rest = rest[rest.index(after: close)...]
            } else {
                out += send(.keyPressed(.char(c)))
                rest = rest.dropFirst()
            }
        }
        return out
    }

    @discardableResult
    mutating func send(_ msg: Msg) -> [Effect] {
        let e = update(&model, msg)
        effects += e
        return e
    }

    var frame: Frame { view(model) }
    var screenText: String { frame.text }

    /// Names in the visible table rows, top to bottom (what the organiser sees).
    var visibleNames: [String] {
        model.table.visible.map { model.table.attendees[$0].fullName }
    }
    var selectedNames: [String] {
        model.table.selection.sorted().map { model.table.attendees[$0].fullName }
    }
    var cursorName: String? { model.table.cursorAttendee?.fullName }
}

/// A small roster with the names that break naive terminals: accents, CJK, emoji.
enum SampleRoster {
    static let context = AppContext(eventName: "Nordic Developer Days 2027", eventDate: "12–14 March 2027",
                                     transportLabel: "smtp (smtp.example.org)", concurrency: 4, secondsPerMessage: 11,
                                     timeZone: TimeZone(identifier: "UTC")!, now: date("2027-03-12T15:00:00Z"))

    static func date(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }

    static let attendees: [Attendee] = [
        a("a1", "Zoë", "Müller", "zoe@example.org", "Grafana Labs", "Attendee"),
        a("a2", "Ada", "Lovelace", "ada@example.org", "Analytical Engines", "Speaker",
          DeliveryRecord(status: .sent, emailedAt: date("2027-03-12T09:30:00Z"))),
        a("a3", "太郎", "山田", "taro@example.jp", "株式会社サンプル", "Attendee"),
        a("a4", "Grace", "Hopper", "grace@example.org", "Navy", "VIP"),
        a("a5", "Linus", "Nordgren", "linus@example.se", "Graphwerk 🚀", "Exhibitor"),
        a("a6", "Émile", "Zola", "emile@example.fr", "Les Éditions", "Press",
          DeliveryRecord(status: .failed, lastError: "550 mailbox unavailable")),
        a("a7", "Margaret", "Hamilton", "margaret@example.org", "Apollo", "Speaker"),
        a("a8", "Björn", "Gråberg", "bjorn@example.se", "Exhibit AB", "Exhibitor",
          DeliveryRecord(status: .inDoubt, lastError: "connection reset after DATA")),
        a("a9", "Chen", "Wei", "chen@example.cn", "深圳科技", "Attendee"),
        a("a10", "Katherine", "Johnson", "katherine@example.org", "NASA", "Attendee"),
        a("a11", "Olga", "Graf", "olga@example.de", "Graf & Söhne", "Exhibitor"),
        a("a12", "Tim", "Berners-Lee", "tim@example.org", "W3C", "Speaker"),
    ]

    static func a(_ id: String, _ first: String, _ last: String, _ email: String, _ company: String, _ type: String,
                  _ delivery: DeliveryRecord = DeliveryRecord()) -> Attendee {
        Attendee(id: id, firstName: first, lastName: last, email: email, company: company, passType: type, delivery: delivery)
    }

    /// `n` plain attendees for paging and performance tests.
    static func many(_ n: Int) -> [Attendee] {
        let types = ["Attendee", "Exhibitor", "Speaker", "VIP", "Press"]
        return (0..<n).map { i in
            Attendee(id: "p\(i)", firstName: "Person", lastName: String(format: "%06d", i), email: "p\(i)@example.org",
                     company: "Company \(i % 97)", passType: types[i % types.count])
        }
    }

    static func unfinishedRun(sent: Int = 19, total: Int = 78, failed: Int = 0, inDoubt: Int = 1) -> RunInfo {
        var c = RunCounts()
        c.total = total; c.sent = sent; c.failed = failed; c.inDoubt = inDoubt
        c.pending = total - sent - failed - inDoubt
        return RunInfo(id: "r20270312-1402", state: .running, counts: c, transport: "smtp (smtp.example.org:587)",
                       startedAt: date("2027-03-12T14:02:00Z"))
    }
}

/// Compares text with a snapshot under `__Snapshots__/`, recording it when missing
/// (swift-argument-parser's `assertSnapshot`): review new snapshots in the diff.
func assertSnapshot(_ text: String, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let url = dir.appendingPathComponent("\(name).txt")
    let actual = text + "\n"
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        print("recorded snapshot \(url.path)")
        return
    }
    if expected == actual { return }
    let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
    var diff: [String] = []
    for i in 0..<max(e.count, a.count) {
        let el = i < e.count ? e[i] : "<none>", al = i < a.count ? a[i] : "<none>"
        if el != al { diff.append("line \(i + 1):\n  - \(el)\n  + \(al)") }
    }
    XCTFail("frame differs from snapshot \(name) (delete \(url.lastPathComponent) to re-record):\n" + diff.joined(separator: "\n"), file: file, line: line)
}
