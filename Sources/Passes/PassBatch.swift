import Foundation
import Core

/// Renders many passes into a folder, using every core, each file written atomically.
///
/// One failing attendee does not stop the others; the caller gets what was
/// written and what failed, and records `pass_generated_at` only for the former.
public struct PassBatch: Sendable {
    public var attendees: [Attendee]
    /// One file name per attendee, same order (the caller resolves duplicates).
    public var fileNames: [String]
    public var folder: URL
    public var issuer: PassIssuer
    /// Called after each pass with (done, total), from worker threads.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(attendees: [Attendee], fileNames: [String], folder: URL, issuer: PassIssuer,
                progress: (@Sendable (Int, Int) -> Void)? = nil) {
        precondition(attendees.count == fileNames.count, "one file name per attendee")
        self.attendees = attendees
        self.fileNames = fileNames
        self.folder = folder
        self.issuer = issuer
        self.progress = progress
    }

    public struct Result: Sendable {
        public var issuedAt: Date
        /// Files written, in roster order.
        public var written: [URL]
        public var renderedIDs: [String]
        public var failures: [(String, any Error)]
    }

    /// Every pass in the batch carries the same issue time.
    public func run(at issuedAt: Date = Date()) -> Result {
        let outcomes = Outcomes(count: attendees.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, attendees.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: attendees.count, by: workers) {
                let url = folder.appendingPathComponent(fileNames[i])
                do {
                    let pass = try issuer.issue(for: attendees[i], issuedAt: issuedAt)
                    try pass.writePDF(to: url)
                    let done = outcomes.set(i, .success(url))
                    progress?(done, attendees.count)
                } catch {
                    let done = outcomes.set(i, .failure(error))
                    progress?(done, attendees.count)
                }
            }
        }
        var result = Result(issuedAt: issuedAt, written: [], renderedIDs: [], failures: [])
        for (i, outcome) in outcomes.all.enumerated() {
            switch outcome {
            case .success(let url): result.written.append(url); result.renderedIDs.append(attendees[i].id)
            case .failure(let error): result.failures.append((attendees[i].id, error))
            case nil: break
            }
        }
        return result
    }

    /// Per-attendee outcomes filled in by the workers.
    private final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Swift.Result<URL, any Error>?]
        private var done = 0
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Swift.Result<URL, any Error>) -> Int {
            lock.lock(); defer { lock.unlock() }
            slots[i] = r
            done += 1
            return done
        }
        var all: [Swift.Result<URL, any Error>?] { lock.lock(); defer { lock.unlock() }; return slots }
    }
}
