import Foundation
import Dispatch

/// What arrives in the loop's inbox: model messages, plus "keys are waiting" from the reader thread.
enum LoopEvent: Sendable {
    case msg(Msg)
    /// stdin is readable: the loop drains keys with curses on the main actor.
    case inputReady
    /// The terminal changed size (SIGWINCH).
    case terminalResized
    /// The quit effect finished stopping the run: leave the loop.
    case exitNow
    /// Engine events are waiting in the run driver's buffer.
    case engineEvents
}

/// Watches stdin on its own thread and says when keys are waiting, without reading them.
///
/// Curses is not thread-safe, so the thread only `poll`s; the main actor reads
/// with `wget_wch`, then lets the watcher look again.
final class StdinWatcher: @unchecked Sendable {
    private let continuation: AsyncStream<LoopEvent>.Continuation
    private let drained = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopped = false
    private var thread: Thread?

    init(_ continuation: AsyncStream<LoopEvent>.Continuation) { self.continuation = continuation }

    func start() {
        let t = Thread { [self] in self.loop() }
        t.name = "passmail-stdin"
        thread = t
        t.start()
    }

    /// The loop read everything that was waiting.
    func didDrain() { drained.signal() }

    func stop() {
        lock.lock(); stopped = true; lock.unlock()
        drained.signal()
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func loop() {
        var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        while !isStopped {
            fds.revents = 0
            let r = poll(&fds, 1, 100)
            for event in SignalFlags.take() { continuation.yield(event) }
            if r > 0 {
                if fds.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 && fds.revents & Int16(POLLIN) == 0 {
                    // The terminal went away: treat it like a hangup.
                    continuation.yield(.msg(.terminationRequested))
                    return
                }
                continuation.yield(.inputReady)
                // Signals still count while the loop is busy: Ctrl-C and SIGTERM are never stuck behind keys.
                while drained.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
                    if isStopped { return }
                    for event in SignalFlags.take() { continuation.yield(event) }
                }
            }
        }
    }
}

/// SIGINT, SIGTERM, SIGHUP and SIGWINCH, recorded by async-signal-safe handlers and picked up by `StdinWatcher`.
///
/// Dispatch signal sources proved unreliable here once the engine's threads
/// existed (a signal ignored for the process is dropped before a `signalfd`
/// sees it), so the handlers only set a flag; the watcher thread wakes at least
/// every 100 ms (at once when the signal interrupts its `poll`) and turns the
/// flags into loop events.
enum SignalFlags {
    nonisolated(unsafe) static var interrupt: sig_atomic_t = 0
    nonisolated(unsafe) static var terminate: sig_atomic_t = 0
    nonisolated(unsafe) static var resize: sig_atomic_t = 0

    static func install() {
        signal(SIGINT) { _ in SignalFlags.interrupt = 1 }
        signal(SIGTERM) { _ in SignalFlags.terminate = 1 }
        signal(SIGHUP) { _ in SignalFlags.terminate = 1 }
        signal(SIGWINCH) { _ in SignalFlags.resize = 1 }
    }

    static func uninstall() {
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] { signal(sig, SIG_DFL) }
    }

    /// The events for the flags set since the last call.
    static func take() -> [LoopEvent] {
        var out: [LoopEvent] = []
        if interrupt != 0 { interrupt = 0; out.append(.msg(.keyPressed(.ctrlC))) }
        if terminate != 0 { terminate = 0; out.append(.msg(.terminationRequested)) }
        if resize != 0 { resize = 0; out.append(.terminalResized) }
        return out
    }
}
