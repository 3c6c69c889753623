import Foundation

/// A connection of its own thread: libcurl blocks, so each connection runs
/// transfers on a private serial queue, off the Swift cooperative pool, and
/// bridges back with a continuation.
final class CurlWorker: @unchecked Sendable {
    private let queue: DispatchQueue
    /// Confined to `queue`. nil until first use and after a failure, so the next
    /// transfer opens a fresh connection.
    private var easy: CurlEasy?

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Runs `body` with this worker's handle on its queue. `body` returns whether
    /// the connection may be kept for the next transfer.
    func run<T: Sendable>(_ body: @escaping @Sendable (CurlEasy) -> (T, keepConnection: Bool)) async -> T? {
        await withCheckedContinuation { continuation in
            queue.async {
                do {
                    let easy = try self.easy ?? CurlEasy()
                    easy.reset()
                    let (value, keep) = body(easy)
                    self.easy = keep ? easy : nil
                    continuation.resume(returning: value)
                } catch {
                    continuation.resume(returning: nil)
                }
            }
        }
    }

    /// Closes the connection (on the worker's queue, after any running transfer).
    func close() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            queue.async { self.easy = nil; c.resume() }
        }
    }
}

/// Up to `size` workers handed out one caller at a time; callers beyond that wait their turn.
///
/// One worker per concurrent sender means one SMTP connection per engine
/// worker, reused across that worker's messages.
actor ConnectionPool {
    private let size: Int
    private let label: String
    private var idle: [CurlWorker] = []
    private var all: [CurlWorker] = []
    private var waiters: [CheckedContinuation<CurlWorker, Never>] = []

    init(size: Int, label: String) {
        self.size = max(1, size)
        self.label = label
    }

    func acquire() async -> CurlWorker {
        if let w = idle.popLast() { return w }
        if all.count < size {
            let w = CurlWorker(label: "\(label).\(all.count + 1)")
            all.append(w)
            return w
        }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func release(_ worker: CurlWorker) {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: worker)
        } else {
            idle.append(worker)
        }
    }

    /// Closes every connection; the pool can still be used afterwards (it reconnects).
    func closeAll() async {
        for w in all { await w.close() }
    }

}
