import Foundation

/// Writes a file so that readers see either the old content or the new, never half.
///
/// Temporary file in the same folder, fsync, rename, fsync the folder: a crash
/// at any point leaves no half-written pass, message or export behind.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL, mode: mode_t = 0o644) throws {
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw PassmailError.cantCreate("\(url.path): cannot create (\(String(cString: strerror(errno))))")
        }
        var ok = false
        defer {
            if !ok { unlink(tmp.path) }
        }
        try data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) throws in
            var offset = 0
            while offset < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    close(fd)
                    throw PassmailError.io("\(url.path): write failed (\(reason))")
                }
                offset += n
            }
        }
        if fsync(fd) != 0 {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw PassmailError.io("\(url.path): fsync failed (\(reason))")
        }
        close(fd)
        if rename(tmp.path, url.path) != 0 {
            throw PassmailError.io("\(url.path): rename failed (\(String(cString: strerror(errno))))")
        }
        ok = true
        let dfd = open(dir.path, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }
}
