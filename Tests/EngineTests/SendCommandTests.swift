import XCTest
import Core
import TestSupport
@testable import Engine

/// The headless commands against real servers with faults, the way an organiser meets them.
final class SendCommandTests: XCTestCase {
    func smtpWorkspace(_ server: SMTPTestServer, attendees: Int = 6, auth: String = "", send: String = "",
                       environment: [String: String] = [:]) throws -> CLIWorkspace {
        try CLIWorkspace(attendees: attendees, transport: "smtp",
                         extra: "[smtp]\nhost = \"127.0.0.1\"\nport = \(server.port)\nsecurity = \"none\"\n\(auth)",
                         send: send, environment: environment)
    }

    func waitUntil(_ what: String, timeout: TimeInterval = 20, _ condition: () throws -> Bool) rethrows {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            usleep(50_000)
        }
        XCTFail("timed out waiting for \(what)")
    }

    func sessionText(_ ws: CLIWorkspace) throws -> String {
        let files = try FileManager.default.contentsOfDirectory(at: ws.sessions, includingPropertiesForKeys: nil).filter { $0.pathExtension == "session" }
        return try files.map { try String(contentsOf: $0, encoding: .utf8) }.joined()
    }

    func testRejectedCredentialsPauseWithTheReasonThenResumeSendsEveryoneOnce() throws {
        let server = try SMTPTestServer.start(auth: ("organiser", "right"))
        defer { server.stop() }
        var ws = try smtpWorkspace(server, auth: "username = \"organiser\"", environment: ["PASSMAIL_SMTP_PASSWORD": "wrong"])
        let r = try ws.run(["send", "--all", "--yes"])
        XCTAssertEqual(r.status, 75, r.stderr)
        XCTAssertTrue(r.stderr.contains("535"), r.stderr)
        XCTAssertTrue(r.stderr.contains("passmail resume"), r.stderr)
        XCTAssertEqual(server.deliveries().count, 0)

        let runs = try ws.run(["runs", "--json"])
        let list = try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]]
        let run = try XCTUnwrap(list?.first)
        XCTAssertEqual(run["state"] as? String, "paused")
        XCTAssertEqual(run["failed"] as? Int, 0, "a pause marks nobody failed")
        XCTAssertTrue((run["pause_reason"] as? String)?.contains("535") ?? false, "\(run)")
        for key in ["id", "total", "sent", "in_doubt", "pending", "started_at", "finished_at"] { XCTAssertNotNil(run[key], key) }

        // Another send over the same attendees is refused, naming the run.
        let again = try ws.run(["send", "--all", "--yes"])
        XCTAssertEqual(again.status, 75)
        XCTAssertTrue(again.stderr.contains(run["id"] as! String) && again.stderr.contains("passmail resume"), again.stderr)

        ws.environment["PASSMAIL_SMTP_PASSWORD"] = "right"
        let resumed = try ws.run(["resume", "--yes"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertFalse(resumed.stderr.contains("changed since"), "same templates, same fingerprint in another process: \(resumed.stderr)")
        XCTAssertTrue(resumed.stdout.contains("6 sent, 0 failed, 0 in doubt"), resumed.stdout)
        XCTAssertEqual(server.deliveryCounts().count, 6)
        XCTAssertTrue(server.deliveryCounts().values.allSatisfy { $0 == 1 })
    }

    func testTemporaryFailureIsRetriedThenSent() throws {
        let server = try SMTPTestServer.start(faults: ["p3@example.org": "451"])
        defer { server.stop() }
        let ws = try smtpWorkspace(server, send: "")
        let child = try ws.spawn(["send", "--all", "--yes"])
        try waitUntil("a retry of a3") { try sessionText(ws).contains("\"t\":\"retrying\",\"e\":3,\"id\":\"a3\"") }
        server.setFaults([:])
        child.waitUntilExit()
        XCTAssertEqual(child.terminationStatus, 0)
        XCTAssertEqual(server.deliveryCounts()["p3@example.org"], 1)
        XCTAssertEqual(server.deliveryCounts().count, 6)
    }

    func testUnknownMailboxFailsThatEntryAndRetryFailedSendsItLater() throws {
        let server = try SMTPTestServer.start(faults: ["p2@example.org": "550"])
        defer { server.stop() }
        let ws = try smtpWorkspace(server)
        let r = try ws.run(["send", "--all", "--yes"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("5 sent, 1 failed, 0 in doubt"), r.stdout)
        XCTAssertTrue(r.stdout.contains("failed    a2"), r.stdout)
        XCTAssertTrue(r.stdout.contains("550"), r.stdout)
        XCTAssertTrue(r.stderr.contains("failed     a2"), "one line per outcome when stderr is not a terminal: \(r.stderr)")
        let failed = try ws.run(["list", "--status", "failed", "--json"])
        XCTAssertTrue(failed.stdout.contains("p2@example.org"), failed.stdout)

        server.setFaults([:])
        let retry = try ws.run(["retry-failed", "--yes"])
        XCTAssertEqual(retry.status, 0, retry.stderr)
        XCTAssertEqual(server.deliveryCounts()["p2@example.org"], 1)
        XCTAssertEqual(try ws.summaries().count, 2)
    }

    func testTheBreakerPausesAfterConsecutiveFailuresOfOneKind() throws {
        let server = try SMTPTestServer.start(faults: ["*": "451"])
        defer { server.stop() }
        let ws = try smtpWorkspace(server, attendees: 20, send: "breaker_threshold = 3")
        let r = try ws.run(["send", "--all", "--yes", "--concurrency", "1"])
        XCTAssertEqual(r.status, 75, r.stderr)
        XCTAssertTrue(r.stderr.contains("3 consecutive failures"), r.stderr)
        let run = try XCTUnwrap(try ws.summaries().first)
        XCTAssertEqual(run.info.counts.failed, 0)
        XCTAssertEqual(run.info.counts.retrying, 3)
    }

    func testWithoutYesAndWithoutATerminalItRefuses() throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        let ws = try smtpWorkspace(server)
        let r = try ws.run(["send", "--all"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("About to email 6 attendees"), r.stderr)
        XCTAssertTrue(r.stderr.contains("--yes"), r.stderr)
        XCTAssertEqual(server.deliveries().count, 0)
        XCTAssertEqual(try ws.summaries().count, 0, "no run was created")
        let nobody = try ws.run(["send", "--yes"])
        XCTAssertEqual(nobody.status, 64)
    }

    func testSecondProcessIsRefusedAndCtrlCStopsCleanlyAndResumable() throws {
        let server = try SMTPTestServer.start(latencyMs: 300)
        defer { server.stop() }
        let ws = try smtpWorkspace(server, attendees: 30)
        let child = try ws.spawn(["send", "--all", "--yes", "--concurrency", "2"])
        try waitUntil("the first delivery") { !server.deliveries().isEmpty }
        let run = try XCTUnwrap(try ws.summaries().first)
        let second = try ws.run(["resume", run.info.id, "--yes"])
        XCTAssertEqual(second.status, 75)
        XCTAssertTrue(second.stderr.contains("is being sent by process \(child.processIdentifier)"), second.stderr)

        kill(child.processIdentifier, SIGINT)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationStatus, 130)
        let after = try XCTUnwrap(try ws.summaries().first)
        XCTAssertTrue(after.isResumable)
        XCTAssertEqual(after.info.counts.inDoubt, 0, "in-flight sends finished before stopping")
        XCTAssertGreaterThan(after.info.counts.pending, 0)

        let resumed = try ws.run(["resume", "--yes"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.deliveryCounts().count, 30)
        XCTAssertTrue(server.deliveryCounts().values.allSatisfy { $0 == 1 })
    }

    /// Someone deletes the session file while `send` runs: it stops sending, does not
    /// send them to a `resume` that cannot work, and an ordinary send finishes the rest once.
    func testDeletingTheSessionFileMidRunStopsSendingAndAnotherSendFinishesOnce() throws {
        let server = try SMTPTestServer.start(latencyMs: 100)
        defer { server.stop() }
        let ws = try smtpWorkspace(server, attendees: 30)
        let errors = ws.dir.write("stderr.txt", "")
        let child = Process()
        child.executableURL = TestPaths.passmailBinary
        child.arguments = ["--workspace", ws.url.path, "send", "--all", "--yes", "--concurrency", "2"]
        child.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        child.standardError = try FileHandle(forWritingTo: errors)
        try child.run()
        waitUntil("the first delivery") { !server.deliveries().isEmpty }
        for f in try FileManager.default.contentsOfDirectory(at: ws.sessions, includingPropertiesForKeys: nil) where f.pathExtension == "session" {
            try FileManager.default.removeItem(at: f)
        }
        child.waitUntilExit()
        XCTAssertEqual(child.terminationStatus, 75)
        let said = try String(contentsOf: errors, encoding: .utf8)
        XCTAssertTrue(said.contains("was deleted or replaced"), said)
        XCTAssertFalse(said.contains("continue with `passmail resume"), said)
        XCTAssertLessThan(server.deliveries().count, 30)

        let rest = try ws.run(["send", "--all", "--yes"])
        XCTAssertEqual(rest.status, 0, rest.stderr)
        XCTAssertEqual(server.deliveryCounts().count, 30, "everyone has their pass")
        XCTAssertTrue(server.deliveryCounts().values.allSatisfy { $0 == 1 }, "\(server.deliveryCounts())")
    }

    func testCancelLeavesUnsentEntriesUnsent() throws {
        let server = try SMTPTestServer.start(auth: ("u", "p"))
        defer { server.stop() }
        let ws = try smtpWorkspace(server, auth: "username = \"u\"", environment: ["PASSMAIL_SMTP_PASSWORD": "x"])
        XCTAssertEqual(try ws.run(["send", "--all", "--yes"]).status, 75)
        let c = try ws.run(["cancel"])
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertTrue(c.stdout.contains("cancelled"), c.stdout)
        XCTAssertEqual(try ws.summaries().first?.info.state, .cancelled)
        let unsent = try ws.run(["list", "--status", "unsent", "--json"])
        XCTAssertEqual(unsent.stdout.components(separatedBy: "@example.org").count - 1, 6, unsent.stdout)
        let again = try ws.run(["cancel"])
        XCTAssertEqual(again.status, 66, again.stderr)
        XCTAssertEqual(try ws.run(["resume", "--yes"]).status, 66)
    }

    func testMailjetRejectedMessageFailsAndTheOthersAreSent() throws {
        let mj = try MailjetStandIn.start(auth: ("pub", "priv"), faults: ["p1@example.org": "error"])
        defer { mj.stop() }
        let ws = try CLIWorkspace(attendees: 5, transport: "mailjet", extra: "[mailjet]\nbase_url = \"\(mj.baseURL)\"",
                                  environment: ["MJ_APIKEY_PUBLIC": "pub", "MJ_APIKEY_PRIVATE": "priv"])
        let r = try ws.run(["send", "--all", "--yes"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("4 sent, 1 failed"), r.stdout)
        XCTAssertNil(mj.deliveryCounts()["p1@example.org"])
    }

    func testMailjetRateLimitIsRetriedHonouringRetryAfter() throws {
        let mj = try MailjetStandIn.start(auth: ("pub", "priv"), faults: ["*": "429:1"])
        defer { mj.stop() }
        let ws = try CLIWorkspace(attendees: 5, transport: "mailjet", extra: "[mailjet]\nbase_url = \"\(mj.baseURL)\"",
                                  send: "breaker_threshold = 100",
                                  environment: ["MJ_APIKEY_PUBLIC": "pub", "MJ_APIKEY_PRIVATE": "priv"])
        let child = try ws.spawn(["send", "--all", "--yes"])
        try waitUntil("a retry after 429") { try sessionText(ws).contains("\"t\":\"retrying\"") }
        mj.setFaults([:])
        child.waitUntilExit()
        XCTAssertEqual(child.terminationStatus, 0)
        XCTAssertEqual(mj.deliveryCounts().count, 5)
        XCTAssertTrue(mj.deliveryCounts().values.allSatisfy { $0 == 1 })
    }

    func testSIGTERMStopsCleanlyAndRunsShowsTheInterruptedRun() throws {
        let server = try SMTPTestServer.start(latencyMs: 300)
        defer { server.stop() }
        let ws = try smtpWorkspace(server, attendees: 20, send: "rate_per_minute = 600")
        let child = try ws.spawn(["send", "--all", "--yes", "--concurrency", "1"])
        try waitUntil("the first delivery") { !server.deliveries().isEmpty }
        kill(child.processIdentifier, SIGTERM)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationStatus, 130)
        let table = try ws.run(["runs"])
        XCTAssertEqual(table.status, 0)
        XCTAssertTrue(table.stdout.hasPrefix("RUN "), table.stdout)
        XCTAssertTrue(table.stdout.contains("running") && table.stdout.contains("interrupted: `passmail resume"), table.stdout)
        let preview = try ws.run(["send", "--all"])
        XCTAssertEqual(preview.status, 64)
        XCTAssertTrue(preview.stderr.contains("Rate cap: 600 per minute"), preview.stderr)
        let refused = try ws.run(["send", "--all", "--yes"])
        XCTAssertEqual(refused.status, 75, "the interrupted run still holds its unsent attendees")
        let template = ws.url.appendingPathComponent("templates/pass.txt.mustache")
        let text = try String(contentsOf: template, encoding: .utf8)
        try Data((text + "\nSee you there!\n").utf8).write(to: template)
        let resumed = try ws.run(["resume", "--yes"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("templates or sender settings changed since run"), resumed.stderr)
        XCTAssertTrue(server.deliveryCounts().values.allSatisfy { $0 == 1 })
        XCTAssertEqual(server.deliveryCounts().count, 20)
    }

    func testMailjetWrongKeysPauseTheRun() throws {
        let mj = try MailjetStandIn.start(auth: ("pub", "priv"))
        defer { mj.stop() }
        let ws = try CLIWorkspace(attendees: 4, transport: "mailjet", extra: "[mailjet]\nbase_url = \"\(mj.baseURL)\"",
                                  environment: ["MJ_APIKEY_PUBLIC": "pub", "MJ_APIKEY_PRIVATE": "wrong"])
        let r = try ws.run(["send", "--all", "--yes"])
        XCTAssertEqual(r.status, 75, r.stderr)
        XCTAssertTrue(r.stderr.contains("401") || r.stderr.lowercased().contains("key"), r.stderr)
        XCTAssertEqual(mj.deliveries().count, 0)
        XCTAssertEqual(try ws.summaries().first?.info.counts.failed, 0)
    }

    func testConnectionLostAfterDataIsInDoubtAndTheOrganiserDecides() throws {
        let server = try SMTPTestServer.start(faults: ["p1@example.org": "drop-after-data"])
        defer { server.stop() }
        let ws = try smtpWorkspace(server, attendees: 3)
        let r = try ws.run(["send", "--all", "--yes"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("2 sent, 0 failed, 1 in doubt"), r.stdout)
        XCTAssertTrue(r.stdout.contains("in doubt  a1"), r.stdout)
        XCTAssertTrue(r.stdout.contains("--in-doubt resend|mark-sent"), r.stdout)
        let id = try XCTUnwrap(try ws.summaries().first?.info.id)

        // Leaving them changes nothing; the run stays finished with its in-doubt entry.
        let plain = try ws.run(["resume", "--yes"])
        XCTAssertEqual(plain.status, 66)
        XCTAssertTrue(plain.stderr.contains("finished with 1 in doubt"), plain.stderr)

        server.setFaults([:])
        let marked = try ws.run(["resume", id, "--in-doubt", "mark-sent", "--yes"])
        XCTAssertEqual(marked.status, 0, marked.stderr)
        XCTAssertTrue(marked.stdout.contains("3 sent, 0 failed, 0 in doubt"), marked.stdout)
        XCTAssertEqual(server.deliveryCounts()["p1@example.org"] ?? 0, server.deliveries().filter { $0.rcpt.contains("p1@example.org") }.count)
        let sent = try ws.run(["list", "--status", "sent", "--json"])
        XCTAssertTrue(sent.stdout.contains("p1@example.org"), sent.stdout)
    }

    func testATemplateProblemStopsTheRunBeforeAnythingIsSent() throws {
        let server = try SMTPTestServer.start()
        defer { server.stop() }
        let ws = try smtpWorkspace(server, attendees: 3)
        let template = ws.url.appendingPathComponent("templates/pass.txt.mustache")
        try Data("Hello {{first_name}}, your seat is {{seat_number}}.\n".utf8).write(to: template)
        let r = try ws.run(["send", "--all", "--yes"])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("nothing was sent"), r.stderr)
        XCTAssertTrue(r.stderr.contains("seat_number"), r.stderr)
        XCTAssertTrue(r.stderr.contains("templates/pass.txt.mustache"), r.stderr)
        XCTAssertEqual(server.deliveries().count, 0)
        XCTAssertEqual(try ws.summaries().count, 0, "a run never starts half-checked")
    }
}
