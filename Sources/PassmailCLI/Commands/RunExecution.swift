import Foundation
import Core
import Engine

/// What `send`, `resume` and `retry-failed` share once a run is open: signals,
/// the progress printer, the summary on stdout and the exit code.
enum RunExecution {
    static func execute(_ controller: RunController, invocation: Invocation) async -> ExitCode {
        let console = invocation.console
        for n in controller.notices { console.err("note: \(n)") }
        let start = await controller.info
        console.err("run \(controller.runID): \(start.counts.total) attendee\(start.counts.total == 1 ? "" : "s") via \(start.transport)"
                    + (start.counts.inDoubt > 0 ? " (\(start.counts.inDoubt) in doubt)" : ""))
        let printer = RunProgressPrinter(console: console, total: start.counts.total)
        let events = Task { for await e in controller.events { printer.handle(e) } }
        let signals = StopSignals(controller: controller, console: console)
        let info = await controller.run()
        let end = await controller.lastEnd
        await controller.close()
        await events.value
        signals.cancel()
        printer.finish()
        summarise(info, entries: await controller.entries, header: controller.header, console: console)
        switch end {
        case .finished?:
            return info.counts.failed + info.counts.inDoubt == 0 ? .ok : .finishedWithProblems
        case .paused(let reason)?:
            console.err("passmail: run \(info.id) paused: \(reason)")
            // Without its session file the run cannot be resumed; the reason says what to do instead.
            if FileManager.default.fileExists(atPath: controller.sessionFile.path) {
                console.err("fix the cause, then continue with `passmail resume \(info.id)`")
            }
            return .tempFailure
        case .stopped?:
            console.err("passmail: interrupted; run \(info.id) is kept: continue with `passmail resume \(info.id)`")
            return .interrupted
        case .cancelled?:
            return .finishedWithProblems
        case nil:
            if let reason = info.pauseReason {
                console.err("passmail: run \(info.id) paused: \(reason)")
                return .tempFailure
            }
            return .software
        }
    }

    /// The results on stdout: the counts, then every entry that did not end sent.
    static func summarise(_ info: RunInfo, entries: [EntryState], header: RunHeader, console: Console) {
        let c = info.counts
        var line = "run \(info.id) \(info.state.rawValue): \(c.sent) sent, \(c.failed) failed, \(c.inDoubt) in doubt"
        if c.pending + c.retrying > 0 { line += ", \(c.pending + c.retrying) not sent yet" }
        console.out(line)
        var shown = 0
        for (i, e) in entries.enumerated() {
            let m = header.members[i]
            let text: String
            switch e {
            case .failed(let r): text = "failed    \(m.attendeeID)  \(m.name) <\(m.email)>: \(r)"
            case .inDoubt(let r): text = "in doubt  \(m.attendeeID)  \(m.name) <\(m.email)>: \(r)"
            default: continue
            }
            shown += 1
            if shown <= 50 { console.out(text) }
        }
        if shown > 50 { console.out("… and \(shown - 50) more (see `passmail list --status failed` / `--status in_doubt`)") }
        if c.inDoubt > 0 {
            console.out("in-doubt entries may or may not have arrived; decide with `passmail resume \(info.id) --in-doubt resend|mark-sent`")
        }
        if c.failed > 0 { console.out("send the failed ones again with `passmail retry-failed \(info.id)`") }
    }

    /// Asks before sending unless --yes; without a terminal to ask on, refuses.
    static func confirm(_ plan: String, question: String, invocation: Invocation) throws -> Bool {
        let console = invocation.console
        console.err(plan)
        if invocation.flag("--yes") { return true }
        guard console.stdinIsTerminal else {
            throw PassmailError.usage("\(invocation.commandName): not sending without confirmation and there is no terminal to ask on; add --yes")
        }
        return console.confirm(question)
    }
}

/// SIGINT/SIGTERM: the first stops cleanly (in-flight sends finish, the run
/// stays resumable); a second one quits at once — whatever was in flight is
/// in doubt on the next resume, and the journal is still consistent.
final class StopSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var count = 0

    init(controller: RunController, console: Console) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { [weak self] in
                guard let self else { return }
                let n = self.lock.withLock { self.count += 1; return self.count }
                if n == 1 {
                    console.err("\nstopping: letting messages in flight finish (Ctrl-C again to quit now; they would be in doubt)")
                    Task { await controller.stop() }
                } else {
                    exit(ExitCode.interrupted.rawValue)
                }
            }
            s.resume()
            sources.append(s)
        }
    }

    func cancel() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
