import Foundation
import XCTest
import Core

/// Helpers every test target shares: temporary workspaces, the corpora, the built binary.
public enum TestPaths {
    /// The package root (folder holding Package.swift), found from this source file.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared/corpora`, when present.
    public static var corpora: URL? {
        if let env = ProcessInfo.processInfo.environment["PASSMAIL_CORPORA"] {
            return URL(fileURLWithPath: env)
        }
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A corpus folder, or XCTSkip with a message when the corpora are not here.
    public static func corpus(_ name: String) throws -> URL {
        guard let root = corpora else {
            throw XCTSkip("conformance corpora not found (../shared/corpora); skipping \(name)")
        }
        let url = root.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("corpus \(name) not found under \(root.path)")
        }
        return url
    }

    /// A checking tool from `../shared/tools` (mime-lint, qr-check), or XCTSkip when it is not there.
    public static func sharedTool(_ name: String) throws -> URL {
        let candidates = [
            ProcessInfo.processInfo.environment["PASSMAIL_SHARED_TOOLS"].map { URL(fileURLWithPath: $0) },
            packageRoot.deletingLastPathComponent().appendingPathComponent("shared/tools"),
        ].compactMap { $0 }
        for dir in candidates {
            let url = dir.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw XCTSkip("\(name) not found in ../shared/tools; skipping the check that needs it")
    }

    /// The built `passmail` binary next to the test bundle (.build/debug/passmail).
    public static var passmailBinary: URL {
        if let env = ProcessInfo.processInfo.environment["PASSMAIL_BIN"] { return URL(fileURLWithPath: env) }
        // The xctest bundle lives in .build/<triple>/debug; the executable beside it.
        let bundle = Bundle.main.bundleURL
        var dir = bundle
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("passmail")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/passmail")
    }

    /// Shared test scripts (SMTP and Mailjet stand-ins) under Tests/Servers.
    public static var serversDir: URL { packageRoot.appendingPathComponent("Tests/Servers") }
}

/// A fresh temporary folder, removed when the test ends.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL
    public init(_ prefix: String = "passmail-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    @discardableResult
    public func write(_ name: String, _ text: String) -> URL {
        let u = file(name)
        try! FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: u)
        return u
    }

    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) -> URL {
        let u = file(name)
        try! Data(bytes).write(to: u)
        return u
    }
}

/// What a finished child process printed and returned.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var stdoutData: Data
}

/// Runs a program to completion, feeding `stdin`, capturing both outputs.
@discardableResult
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                       stdin: String? = nil, currentDirectory: URL? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    p.environment = env
    if let currentDirectory { p.currentDirectoryURL = currentDirectory }
    let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
    p.standardOutput = outPipe
    p.standardError = errPipe
    p.standardInput = inPipe
    try p.run()
    if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? inPipe.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty child cannot deadlock on a full pipe.
    let errBox = DataBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                         stderr: String(decoding: errBox.data, as: UTF8.self), stdoutData: out)
}

final class DataBox: @unchecked Sendable { var data = Data() }

/// Runs the built `passmail` binary with arguments, like a user at a shell.
@discardableResult
public func passmail(_ arguments: [String], workspace: URL? = nil, environment: [String: String] = [:],
                     stdin: String? = nil) throws -> ProcessResult {
    var args = arguments
    if let workspace { args = ["--workspace", workspace.path] + args }
    return try runProcess(TestPaths.passmailBinary, args, environment: environment, stdin: stdin)
}

/// Finds a free TCP port on loopback (bind to 0, read it back, close).
public func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            _ = bind(fd, $0, len)
            _ = getsockname(fd, $0, &len)
        }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}
