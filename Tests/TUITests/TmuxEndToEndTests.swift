import Foundation
import XCTest
import Core
import Roster
import TestSupport
import TUI

/// The real binary in a real terminal (tmux), against the real SMTP test server.
///
/// Reads like an organiser's session: filter out Exhibitors, select everyone
/// shown, send, quit mid-run, relaunch, resume, finish — then the server must
/// have received exactly one message per selected attendee.
final class TmuxEndToEndTests: XCTestCase {
    func testFilterSelectSendQuitResumeFinish() throws {
        let term = try Tmux.start(width: 100, height: 30)
        defer { term.kill() }
        let smtp = try SMTPTestServer.start(latencyMs: 500)
        defer { smtp.stop() }
        let ws = try DemoWorkspace(smtpPort: smtp.port)

        // Open the roster.
        term.launch(ws)
        try term.waitFor("80 total")

        // Preview the first attendee and write their pass PDF.
        term.press("<enter>")
        try term.waitFor("Pass code", timeout: 30)
        XCTAssertTrue(term.screen.contains("Subject     Your pass for Nordic Developer Days 2027"), term.screen)
        term.press("o")
        try term.waitFor("Written to", timeout: 30)
        let pdfs = try FileManager.default.contentsOfDirectory(atPath: ws.workspace.passesURL.path).filter { $0.hasSuffix(".pdf") }
        XCTAssertEqual(pdfs.count, 1)
        term.press("q")
        try term.waitFor("80 total")

        // Filter out Exhibitors in the filter panel (f), then select all shown (a).
        term.press("f")
        try term.waitFor("Pass types")
        let panelTypes = term.capture().compactMap { line -> String? in
            guard let r = line.range(of: #"\[[x ]\] (\w+) \("#, options: .regularExpression) else { return nil }
            return String(line[r].dropFirst(4).dropLast(2))
        }
        let exhibitorRow = try XCTUnwrap(panelTypes.firstIndex(of: "Exhibitor"), "panel rows: \(panelTypes)")
        term.press(String(repeating: "j", count: exhibitorRow) + " ")
        try term.waitFor("[ ] Exhibitor")
        term.press("f")
        try term.waitFor("without Exhibitor")
        term.press("a")
        let store = try RosterStore(workspace: ws.workspace)
        let expected = try store.attendees().filter { $0.passType != "Exhibitor" }
        try term.waitFor("\(expected.count) selected · \(expected.count) shown · 80 total")

        // Send: the confirm screen states the plan; Enter starts.
        term.press("s")
        try term.waitFor("Templates checked", timeout: 60)
        XCTAssertTrue(term.screen.contains("Send \(expected.count) passes via smtp (127.0.0.1)"))
        term.press("<enter>")
        try term.waitFor("Processing")

        // Resize mid-run: the frame is redrawn whole at the new size.
        try term.waitUntil { Tmux.sentCount(in: $0) ?? 0 >= 2 }
        term.resize(width: 70, height: 20)
        // Redrawn, not cut by tmux: the bar is sized to the new width and ends with its percentage.
        try term.waitUntil { lines in lines.count == 20 && lines.contains { $0.contains("Processing") }
            && lines.contains { $0.hasSuffix("%") && $0.contains("░") } }
        let small = term.capture()
        XCTAssertTrue(small[0].contains("passmail"), "title line intact: \(small)")
        XCTAssertTrue(small.last!.contains("p pause/resume"), "key bar intact: \(small)")
        XCTAssertTrue(small.allSatisfy { $0.displayWidth <= 70 })
        term.resize(width: 50, height: 12)
        try term.waitFor("Terminal too small")
        term.resize(width: 100, height: 30)
        try term.waitFor("Processing")

        // Quit mid-run: leave the progress screen (q), quit (q), confirm (y).
        try term.waitUntil { Tmux.sentCount(in: $0) ?? 0 >= 8 }
        term.press("q")
        try term.waitFor("select")
        term.press("q")
        try term.waitFor("Quit passmail?")
        term.press("y")
        try term.waitFor("EXITED 0", timeout: 60)
        let goodbye = try String(contentsOf: ws.stderrLog, encoding: .utf8)
        XCTAssertTrue(goodbye.contains("It is resumable"), goodbye)
        let sentBefore = smtp.deliveries().count
        XCTAssertGreaterThan(sentBefore, 0)
        XCTAssertLessThan(sentBefore, expected.count, "the run was quit before it finished")

        // Relaunch: the resume prompt comes first.
        term.launch(ws)
        try term.waitFor("Unfinished send from")
        XCTAssertTrue(term.screen.contains("[r] Resume   [v] View   [x] Abandon"))
        term.press("r")
        try term.waitUntil { $0.joined().contains("Processing") || $0.joined().contains("in doubt:") }
        if term.screen.contains("What should passmail do?") {
            term.press("s")   // in-doubt after a graceful stop would be a bug in the engine; resend keeps the test going
            XCTFail("a graceful quit left entries in doubt")
        }
        try term.waitFor("finished", timeout: 120)
        XCTAssertTrue(term.screen.contains("Nothing failed."), term.screen)
        // Export the report: one row per attendee of the run.
        term.press("e")
        try term.waitFor("Report written to")
        let reports = ws.root.appendingPathComponent("reports")
        let report = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: reports.path).first)
        let csv = try String(contentsOf: reports.appendingPathComponent(report), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\r\n").count, expected.count + 1)
        term.press("q")
        try term.waitFor("total")
        term.press("q")
        try term.waitFor("EXITED 0", timeout: 30)

        // Exactly one message per selected attendee, none to Exhibitors.
        let counts = smtp.deliveryCounts()
        XCTAssertEqual(counts.count, expected.count)
        for a in expected { XCTAssertEqual(counts[a.email], 1, "\(a.email)") }
        XCTAssertEqual(smtp.deliveries().count, expected.count)
    }

    func testRejectedLoginPausesTheRunWithTheReasonAndWhatToDo() throws {
        let term = try Tmux.start(width: 100, height: 30)
        defer { term.kill() }
        let smtp = try SMTPTestServer.start(auth: (user: "organiser", password: "right"))
        defer { smtp.stop() }
        let ws = try DemoWorkspace(smtpPort: smtp.port, username: "organiser")
        term.launch(ws, environment: "PASSMAIL_SMTP_PASSWORD=wrong ")
        try term.waitFor("80 total")
        term.press("tas")            // only the first pass type, all of them, send
        try term.waitFor("Templates checked", timeout: 60)
        term.press("<enter>")
        try term.waitFor("Paused by passmail", timeout: 60)
        XCTAssertTrue(term.screen.contains("The mail server rejected the login."), term.screen)
        XCTAssertTrue(term.screen.contains("PASSMAIL_SMTP_PASSWORD"), term.screen)
        XCTAssertTrue(term.screen.contains("✗ 0 failed"), "a rejected login fails nobody: \(term.screen)")
        term.press("q")
        try term.waitFor("paused 0/")
        term.press("q")
        try term.waitFor("Quit passmail?")
        term.press("y")
        try term.waitFor("EXITED 0", timeout: 60)
        XCTAssertTrue(try String(contentsOf: ws.stderrLog, encoding: .utf8).contains("It is resumable"))
        XCTAssertEqual(smtp.deliveries().count, 0)
    }

    func testColoursFollowNoColorAndTheTerminalIsRestoredOnQuit() throws {
        let term = try Tmux.start(width: 100, height: 30)
        defer { term.kill() }
        let ws = try DemoWorkspace(smtpPort: 1)
        // SGR 30–37/40–47 or 38;5 / 48;5: a colour; bold and reverse alone are not.
        let colour = #"\x1B\[[0-9;]*(3[0-7]|4[0-7]|38;5|48;5)[;m]"#
        term.launch(ws, color: true)
        try term.waitFor("80 total")
        XCTAssertNotNil(term.captureWithEscapes().range(of: colour, options: .regularExpression), "colours by default")
        term.press("q")
        try term.waitFor("EXITED 0")
        term.launch(ws, color: false)
        try term.waitFor("80 total")
        XCTAssertNil(term.captureWithEscapes().range(of: colour, options: .regularExpression), "NO_COLOR: no colours")
        XCTAssertTrue(term.captureWithEscapes().contains("\u{1B}[7m") || term.captureWithEscapes().contains(";7m"),
                      "monochrome still marks the cursor row (reverse)")
        term.press("q")
        try term.waitFor("EXITED 0")
        // Back to a cooked terminal: the shell echoes what is typed.
        term.press("echo restored-ok<enter>")
        try term.waitFor("restored-ok\nrestored-ok")
    }

    func testTerminalIsRestoredAfterACrashOrTermination() throws {
        let term = try Tmux.start(width: 100, height: 30)
        defer { term.kill() }
        let ws = try DemoWorkspace(smtpPort: 1)
        for (signal, status) in [(SIGSEGV, 139), (SIGTERM, 0)] {
            term.launch(ws)
            try term.waitFor("80 total")
            let pid = try XCTUnwrap(term.childPID(), "passmail's pid")
            kill(pid, signal)
            try term.waitFor("EXITED \(status)", timeout: 30)
            // Cooked again: the shell echoes what is typed.
            term.press("echo restored-\(signal)<enter>")
            try term.waitFor("restored-\(signal)\nrestored-\(signal)")
        }
    }

    /// TERM=dumb, an unknown TERM or none: a reason and what to do instead, not curses'
    /// "Error opening terminal" with status 1, nor a screen of garbage.
    func testRefusesATerminalItCannotDriveAndSaysWhy() throws {
        let term = try Tmux.start(width: 100, height: 30)
        defer { term.kill() }
        let ws = try DemoWorkspace(smtpPort: 1)
        let cases = [("TERM=dumb", "this terminal type cannot move the cursor"),
                     ("TERM=no-such-terminal", "the terminal type is unknown here"),
                     ("env -u TERM", "TERM is not set")]
        for (i, (setting, reason)) in cases.enumerated() {
            let log = ws.root.appendingPathComponent("refused-\(i).log")
            let cmd = "clear; \(setting) '\(TestPaths.passmailBinary.path)' -w '\(ws.root.path)' 2>'\(log.path)'; echo EXITED-\(i) $?"
            try term.run(["send-keys", "-t", term.session, cmd, "Enter"])
            try term.waitFor("EXITED-\(i) \(ExitCode.usage.rawValue)")
            let said = try String(contentsOf: log, encoding: .utf8)
            XCTAssertTrue(said.contains(reason), said)
            XCTAssertTrue(said.contains("passmail send"), said)
            XCTAssertFalse(said.contains("Error opening terminal"), said)
        }
        // The shell still echoes: nothing was left switched.
        term.press("echo still-cooked<enter>")
        try term.waitFor("still-cooked\nstill-cooked")
    }

    /// A terminal without an alternate screen (vt100): quitting leaves a clean screen,
    /// not the last frame with the shell prompt written over its key bar.
    func testATerminalWithoutAnAlternateScreenIsLeftClean() throws {
        let term = try Tmux.start(width: 100, height: 30)
        defer { term.kill() }
        let ws = try DemoWorkspace(smtpPort: 1)
        let cmd = "clear; NO_COLOR=1 TERM=vt100 '\(TestPaths.passmailBinary.path)' -w '\(ws.root.path)' 2>>'\(ws.stderrLog.path)'; echo EXITED $?"
        try term.run(["send-keys", "-t", term.session, cmd, "Enter"])
        try term.waitFor("80 total")
        term.press("q")
        try term.waitFor("EXITED 0")
        XCTAssertFalse(term.screen.contains("total"), term.screen)
        XCTAssertFalse(term.screen.contains("? help"), term.screen)
    }

    func testRefusesWithoutATerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: TestPaths.passmailBinary.path) else {
            throw XCTSkip("build the passmail product first")
        }
        let dir = TemporaryDirectory()
        let r = try passmail(["tui"], workspace: dir.url)
        XCTAssertEqual(r.status, ExitCode.usage.rawValue)
        XCTAssertTrue(r.stderr.contains("needs a terminal"), r.stderr)
        XCTAssertTrue(r.stderr.contains("passmail send"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }
}

/// A demo workspace (80 attendees) pointed at the local SMTP test server.
struct DemoWorkspace {
    let dir = TemporaryDirectory("passmail-tui-e2e")
    let workspace: Workspace
    var root: URL { dir.url.appendingPathComponent("ws") }
    var stderrLog: URL { dir.url.appendingPathComponent("stderr.log") }

    init(smtpPort: Int, username: String? = nil) throws {
        let root = dir.url.appendingPathComponent("ws")
        let made = try passmail(["demo", root.path, "--no-open"])
        guard made.status == 0 else { throw E2EError("passmail demo failed: \(made.stderr)") }
        let configURL = root.appendingPathComponent(Workspace.configFileName)
        var toml = try String(contentsOf: configURL, encoding: .utf8)
        toml = toml.replacingOccurrences(of: #"kind = "outbox""#, with: #"kind = "smtp""#)
        toml = toml.replacingOccurrences(of: #"host = "smtp.example.org""#, with: #"host = "127.0.0.1""#)
        toml = toml.replacingOccurrences(of: "port = 587", with: "port = \(smtpPort)")
        toml = toml.replacingOccurrences(of: #"security = "starttls""#,
                                         with: #"security = "none""# + (username.map { "\nusername = \"\($0)\"" } ?? ""))
        // Two connections at 500 ms a message: slow enough to quit and resize mid-run.
        toml = toml.replacingOccurrences(of: "concurrency = 4", with: "concurrency = 2")
        try Data(toml.utf8).write(to: configURL)
        workspace = try Workspace.open(at: root)
    }
}

/// A private tmux server driving one window: send keys, capture the screen.
final class Tmux {
    let socket = "passmail-test-\(UUID().uuidString.prefix(8))"
    let session = "t"

    static func start(width: Int, height: Int) throws -> Tmux {
        guard let tmux = Tmux.path else { throw XCTSkip("tmux is not installed") }
        guard FileManager.default.isExecutableFile(atPath: TestPaths.passmailBinary.path) else {
            throw XCTSkip("build the passmail product first (swift build --product passmail)")
        }
        let t = Tmux()
        try t.run(["new-session", "-d", "-s", t.session, "-x", String(width), "-y", String(height), "sh"])
        try t.run(["set-option", "-t", t.session, "window-size", "manual"])
        return t
    }

    static var path: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tmux command through `system` (the tmux server daemonises and would keep a
    /// Foundation pipe open forever); output goes through a temporary file.
    @discardableResult
    func run(_ args: [String]) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(socket)-\(UUID().uuidString.prefix(6)).out")
        defer { try? FileManager.default.removeItem(at: out) }
        let quoted = ([Tmux.path!, "-L", socket] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let status = system(quoted.joined(separator: " ") + " >'\(out.path)' 2>&1 </dev/null")
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        guard status == 0 else { throw E2EError("tmux \(args.joined(separator: " ")): \(text)") }
        return text
    }

    /// Starts passmail in the window; "EXITED" appears when it ends.
    func launch(_ ws: DemoWorkspace, color: Bool = false, environment: String = "") {
        let bin = TestPaths.passmailBinary.path
        let env = (color ? "unset NO_COLOR; " : "NO_COLOR=1 ") + environment
        let cmd = "clear; \(env)TERM=xterm-256color '\(bin)' -w '\(ws.root.path)' 2>>'\(ws.stderrLog.path)'; s=$?; clear; echo EXITED $s"
        _ = try? run(["send-keys", "-t", session, cmd, "Enter"])
    }

    /// Keys as the unit tests write them: "<enter>", "<esc>", "<space>", else literal characters.
    func press(_ keys: String) {
        var rest = Substring(keys)
        while !rest.isEmpty {
            if rest.hasPrefix("<"), let close = rest.firstIndex(of: ">") {
                let name = rest[rest.index(after: rest.startIndex)..<close]
                let tmuxName = ["enter": "Enter", "esc": "Escape", "space": "Space", "up": "Up", "down": "Down"][String(name)] ?? String(name)
                _ = try? run(["send-keys", "-t", session, tmuxName])
                rest = rest[rest.index(after: close)...]
            } else {
                let c = String(rest.first!)
                _ = try? run(["send-keys", "-t", session, "-l", c])
                rest = rest.dropFirst()
            }
            usleep(60_000)
        }
    }

    func resize(width: Int, height: Int) {
        _ = try? run(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    /// The screen with its escape sequences (`capture-pane -e`), to look at colours.
    func captureWithEscapes() -> String { (try? run(["capture-pane", "-p", "-e", "-t", session])) ?? "" }

    func capture() -> [String] {
        let out = (try? run(["capture-pane", "-p", "-t", session])) ?? ""
        var lines = out.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    var screen: String { capture().joined(separator: "\n") }

    func waitFor(_ text: String, timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) throws {
        try waitUntil(timeout: timeout, what: "\"\(text)\"") { $0.joined(separator: "\n").contains(text) }
    }

    func waitUntil(timeout: TimeInterval = 20, what: String = "condition", _ condition: ([String]) -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(capture()) { return }
            usleep(100_000)
        }
        throw E2EError("timed out waiting for \(what); screen:\n\(screen)")
    }

    /// "sending 12/70" from the title bar, or the done count on the progress screen.
    static func sentCount(in lines: [String]) -> Int? {
        for l in lines {
            if let r = l.range(of: #"✓ \d+ sent"#, options: .regularExpression) {
                return Int(l[r].dropFirst(2).prefix { $0.isNumber })
            }
        }
        return nil
    }

    /// The pid of the program running in the window's shell (passmail).
    /// The passmail process in the pane: found by walking down from the pane's
    /// process, because a shell such as dash keeps itself between tmux and the program.
    func childPID() -> pid_t? {
        guard let pane = try? run(["display-message", "-p", "-t", session, "#{pane_pid}"]),
              let panePID = Int32(pane.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        var queue = [panePID]
        while !queue.isEmpty {
            let pid = queue.removeFirst()
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if comm == "passmail" { return pid }
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            queue += children.split(separator: " ").compactMap { Int32($0) }
        }
        return nil
    }

    func kill() { _ = try? run(["kill-server"]) }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
