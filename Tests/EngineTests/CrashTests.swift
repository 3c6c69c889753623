import XCTest
import Core
import TestSupport
@testable import Engine

/// The promise, proven against real servers: a `passmail send` child killed with
/// SIGKILL at random moments, resumed each time, never sends anyone two
/// messages and never silently skips anyone.
final class CrashTests: XCTestCase {
    /// Kills and resumes until the run finishes; returns the run's final summary.
    func killAndResume(_ ws: CLIWorkspace, kills: Int, window: ClosedRange<Double>, resumeArgs: [String]) throws -> RunSummary {
        var rng = SystemRandomNumberGenerator()
        var landed = 0
        for k in 0..<kills {
            let runs = try ws.summaries()
            let args: [String]
            if runs.isEmpty { args = ["send", "--all", "--yes"] }
            else if runs.contains(where: \.isResumable) { args = ["resume"] + resumeArgs + ["--yes"] }
            else { break }
            let child = try ws.spawn(args)
            usleep(UInt32(Double.random(in: window, using: &rng) * 1_000_000))
            if child.isRunning { landed += 1 }
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            // The journal always loads after a kill.
            for url in try FileManager.default.contentsOfDirectory(at: ws.sessions, includingPropertiesForKeys: nil)
            where url.pathExtension == "session" {
                XCTAssertNoThrow(try LoadedSession.load(url), "after kill \(k + 1)")
            }
        }
        XCTAssertGreaterThanOrEqual(landed, kills / 2, "most kills must hit a run in progress")
        // Finish it without interruptions.
        for _ in 0..<5 {
            let runs = try ws.summaries()
            if runs.isEmpty {
                try ws.run(["send", "--all", "--yes"])
            } else if runs.contains(where: \.isResumable) {
                let r = try ws.run(["resume"] + resumeArgs + ["--yes"])
                XCTAssertTrue([0, 1].contains(r.status), "resume: \(r.status) \(r.stderr.suffix(500))")
            } else { break }
        }
        let runs = try ws.summaries()
        XCTAssertEqual(runs.count, 1, "one run from start to end")
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.info.state, .finished)
        let c = run.info.counts
        print("crash test: \(landed) kills landed mid-run; \(c.sent) sent, \(c.failed) failed, \(c.inDoubt) in doubt")
        return run
    }

    func testSMTPRunSurvivesRepeatedSIGKILLWithoutDuplicatesOrSilentSkips() throws {
        let server = try SMTPTestServer.start(latencyMs: 60)
        defer { server.stop() }
        let ws = try CLIWorkspace(attendees: 300, transport: "smtp",
                                  extra: "[smtp]\nhost = \"127.0.0.1\"\nport = \(server.port)\nsecurity = \"none\"")
        let run = try killAndResume(ws, kills: 14, window: 0.25...0.9, resumeArgs: ["--in-doubt", "leave"])

        let received = server.deliveryCounts()
        for (address, n) in received { XCTAssertEqual(n, 1, "\(address) received \(n) messages") }
        for (i, m) in run.header.members.enumerated() {
            switch run.entries[i] {
            case .sent:
                XCTAssertEqual(received[m.email], 1, "\(m.email) is recorded sent")
            case .failed, .inDoubt:
                break  // reported; it may or may not have arrived (in doubt), or not at all (failed)
            default:
                XCTFail("\(m.email) ended \(run.entries[i])")
            }
            if received[m.email] == nil {
                switch run.entries[i] {
                case .failed, .inDoubt: break
                default: XCTFail("\(m.email) received nothing but is reported \(run.entries[i])")
                }
            }
        }
        XCTAssertEqual(run.header.members.count, 300)
        // The roster agrees with the run.
        let list = try ws.run(["list", "--status", "in_doubt", "--json"])
        if run.info.counts.inDoubt > 0 { XCTAssertTrue(list.stdout.contains("@example.org"), list.stdout) }
    }

    func testMailjetRunResolvesEveryInDoubtEntryByCustomID() throws {
        // Slow enough that the run outlasts the kill window: 300 messages go in 6 calls of 50.
        let mj = try MailjetStandIn.start(latencyMs: 500, auth: ("pub", "priv"))
        defer { mj.stop() }
        let ws = try CLIWorkspace(attendees: 300, transport: "mailjet",
                                  // The stand-in lists a message the moment it accepts it: no grace period needed.
                                  extra: "[mailjet]\nbase_url = \"\(mj.baseURL)\"\nlookup_grace_seconds = 0",
                                  send: "",
                                  environment: ["MJ_APIKEY_PUBLIC": "pub", "MJ_APIKEY_PRIVATE": "priv"])
        let run = try killAndResume(ws, kills: 10, window: 0.25...1.0, resumeArgs: [])

        let received = mj.deliveryCounts()
        for (address, n) in received { XCTAssertEqual(n, 1, "\(address) received \(n) messages") }
        XCTAssertEqual(run.info.counts.inDoubt, 0, "every in-doubt entry was resolved by CustomID lookup")
        XCTAssertEqual(run.info.counts.sent, 300)
        for m in run.header.members { XCTAssertEqual(received[m.email], 1, m.email) }
        let ids = Set(mj.deliveries().map(\.customID))
        XCTAssertTrue(ids.contains("\(run.info.id).a0"), "CustomID is run id + attendee id")
    }
}
