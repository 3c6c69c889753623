import Foundation
import Core

/// Exclusive hold on a run while a process works on it: `flock` on `sessions/<run-id>.lock`.
///
/// The holder writes its PID into the file so a second passmail can say who
/// holds the run. The kernel drops the lock when the holder dies, even by
/// SIGKILL, so a crashed run is never stuck.
public final class RunLock: @unchecked Sendable {
    public let url: URL
    private var fd: Int32

    private init(url: URL, fd: Int32) { self.url = url; self.fd = fd }
    deinit { release() }

    public static func url(for runID: String, in sessions: URL) -> URL {
        sessions.appendingPathComponent("\(runID).lock")
    }

    /// Takes the lock or throws "run R is being sent by process 1234".
    public static func acquire(runID: String, in sessions: URL) throws -> RunLock {
        let url = url(for: runID, in: sessions)
        for _ in 0..<5 {
            let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw PassmailError.cantCreate("\(url.path): cannot create the run lock (\(String(cString: strerror(errno))))")
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let pid = readPID(fd)
                close(fd)
                let who = pid.map { "process \($0)" } ?? "another process"
                throw PassmailError("run \(runID) is being sent by \(who); wait for it to finish or stop it (Ctrl-C there) first",
                                    exitCode: .tempFailure)
            }
            // The file may have been unlinked by a holder releasing it just now: lock the file at the path.
            var a = stat(), b = stat()
            if fstat(fd, &a) == 0, stat(url.path, &b) == 0, a.st_ino == b.st_ino, a.st_dev == b.st_dev {
                let text = "\(getpid())\n"
                _ = ftruncate(fd, 0)
                _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
                return RunLock(url: url, fd: fd)
            }
            close(fd)
        }
        throw PassmailError.io("\(url.path): could not take the run lock")
    }

    /// The PID holding the run, or nil when nobody does.
    public static func holder(runID: String, in sessions: URL) -> Int32? {
        let url = url(for: runID, in: sessions)
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return readPID(fd) ?? -1
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buf = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buf, buf.count, 0)
        guard n > 0 else { return nil }
        return Int32(String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public func release() {
        guard fd >= 0 else { return }
        unlink(url.path)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }
}
