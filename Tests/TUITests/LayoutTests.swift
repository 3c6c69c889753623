import XCTest
import Core
import Engine
@testable import TUI

/// Every screen at many sizes: exactly `height` lines of exactly `width` columns, never a crash.
final class LayoutTests: XCTestCase {
    /// One model per screen state, built the way a user gets there.
    func screens() -> [(String, TUIScript)] {
        var out: [(String, TUIScript)] = []
        var roster = TUIScript(); roster.press("jj<space>/gr")
        out.append(("roster typing", roster))
        var panel = TUIScript(); panel.press("fjjj<space>")
        out.append(("filter panel", panel))
        var preview = TUIScript(); preview.press("<enter>")
        preview.send(.previewReady(PreviewContent(attendeeID: "a1", to: "Zoë Müller <zoe@example.org>",
            subject: "Ihr Ticket für die Nordic Developer Days 2027 — 山田さん 🚀",
            text: String(repeating: "Lorem ipsum dolor sit amet, 山田太郎 consectetur 🚀 adipiscing elit. ", count: 30),
            attachmentName: "Pass - Zoë Müller.pdf", attachmentBytes: 2_400_000, humanCode: "K7Q-4PX2")))
        out.append(("preview", preview))
        var problems = TUIScript(); problems.press("as")
        problems.send(.sendChecked(problems: (0..<30).map { "templates/pass.txt.mustache:\($0): {{Company}}: no such field (attendee a\($0))" },
                                   problemCount: 120))
        out.append(("confirm with problems", problems))
        var progress = TUIScript(); progress.press("asR<enter>")
        progress.send(.sendChecked(problems: [], problemCount: 0))
        progress.press("<enter>")
        progress.send(.runStarted(runID: "r1", attendeeIDs: SampleRoster.attendees.map(\.id), startedAt: Date()))
        for a in SampleRoster.attendees {
            progress.send(.engine(.entryFinished(EntryReport(attendeeID: a.id, name: a.fullName, email: a.email,
                outcome: a.id.hasSuffix("3") ? .failed(reason: "550 mailbox unavailable — 受信者不明 " + String(repeating: "x", count: 80))
                                              : .sent(messageId: "m"), at: Date()))))
        }
        progress.send(.engine(.paused(reason: "421 too many connections, rate limited")))
        out.append(("progress paused", progress))
        var summary = progress
        var c = RunCounts(); c.total = 12; c.sent = 10; c.failed = 2
        summary.send(.engine(.ended(RunInfo(id: "r1", state: .finished, counts: c, transport: "smtp", startedAt: Date()))))
        summary.press("w")
        out.append(("summary", summary))
        var cancel = progress; cancel.press("c")
        out.append(("cancel dialog", cancel))
        out.append(("resume prompt", TUIScript(unfinished: SampleRoster.unfinishedRun())))
        var inDoubt = TUIScript(unfinished: SampleRoster.unfinishedRun(inDoubt: 3)); inDoubt.press("r")
        out.append(("resume in doubt", inDoubt))
        var help = TUIScript(); help.press("?")
        out.append(("help", help))
        return out
    }

    func testEveryScreenFillsTheTerminalExactlyAtManySizes() {
        for (name, base) in screens() {
            for width in [40, 59, 60, 61, 79, 80, 100, 133, 200] {
                for height in [10, 15, 16, 17, 24, 50] {
                    var ui = base
                    ui.send(.resized(width: width, height: height))
                    let f = ui.frame
                    XCTAssertEqual(f.lines.count, height, "\(name) \(width)×\(height)")
                    for (i, line) in f.lines.enumerated() {
                        XCTAssertEqual(line.displayWidth, width, "\(name) \(width)×\(height) line \(i): \(line)")
                    }
                    for spans in f.spans {
                        for s in spans { XCTAssertLessThanOrEqual(s.start + s.width, width, "\(name) span past the edge") }
                    }
                    if width < 60 || height < 16 {
                        XCTAssertTrue(f.text.contains("Terminal too small"), "\(name) \(width)×\(height)")
                    } else {
                        XCTAssertTrue(f.lines[0].contains("passmail"), "\(name) \(width)×\(height): title")
                    }
                }
            }
        }
    }
}
