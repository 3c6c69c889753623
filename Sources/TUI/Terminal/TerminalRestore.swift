import Foundation
import CNcurses

/// Puts the terminal back however the process ends: normal exit, crash or fatal signal.
///
/// `atexit` covers `exit()`; handlers for crash signals call `endwin` and
/// re-raise so the default action (core dump, exit status) still happens.
/// SIGINT/SIGTERM/SIGHUP are not handled here: they become messages for the
/// loop, which stops a run gracefully before exiting.
enum TerminalRestore {
    nonisolated(unsafe) private static var active: sig_atomic_t = 0
    nonisolated(unsafe) private static var installed = false

    static func install() {
        guard !installed else { return }
        installed = true
        atexit { TerminalRestore.restoreFromHandler() }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(sig) { s in
                TerminalRestore.restoreFromHandler()
                signal(s, SIG_DFL)
                raise(s)
            }
        }
    }

    static func markActive() { active = 1 }

    static func restore() {
        guard active == 1 else { return }
        active = 0
        _ = curs_set(1)
        endwin()
    }

    /// From a signal handler or atexit: only if curses is still up.
    static func restoreFromHandler() {
        guard active == 1 else { return }
        active = 0
        endwin()
    }
}
