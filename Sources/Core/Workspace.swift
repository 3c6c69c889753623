import Foundation

/// A passmail workspace: a folder holding `passmail.toml`, `passmail.db`,
/// `sessions/`, `outbox/`, `passes/`, `templates/` and `keys/`.
///
/// Like a git repository, commands find it from `--workspace`, then
/// `PASSMAIL_WORKSPACE`, then the current folder.
public struct Workspace: Sendable {
    public let root: URL
    public let config: PassmailConfig

    public static let configFileName = "passmail.toml"

    public init(root: URL, config: PassmailConfig) {
        self.root = root.standardizedFileURL
        self.config = config
    }

    /// Which folder a command means, before anything is opened.
    public static func resolveRoot(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                                   currentDirectory: String = FileManager.default.currentDirectoryPath) -> URL {
        if let flag, !flag.isEmpty { return URL(fileURLWithPath: flag, relativeTo: URL(fileURLWithPath: currentDirectory)).standardizedFileURL }
        if let env = environment["PASSMAIL_WORKSPACE"], !env.isEmpty {
            return URL(fileURLWithPath: env, relativeTo: URL(fileURLWithPath: currentDirectory)).standardizedFileURL
        }
        return URL(fileURLWithPath: currentDirectory).standardizedFileURL
    }

    /// Opens an existing workspace and reads its configuration.
    public static func open(at root: URL) throws -> Workspace {
        let configURL = root.appendingPathComponent(configFileName)
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw PassmailError.noInput(
                "\(root.path) is not a passmail workspace (no \(configFileName)); create one with `passmail init \(root.path)` or pass --workspace DIR")
        }
        let config = try PassmailConfig.load(from: configURL)
        return Workspace(root: root, config: config)
    }

    public var configURL: URL { root.appendingPathComponent(Self.configFileName) }
    public var databaseURL: URL { root.appendingPathComponent("passmail.db") }
    public var sessionsURL: URL { root.appendingPathComponent("sessions") }
    public var passesURL: URL { root.appendingPathComponent("passes") }
    public var outboxURL: URL { resolve(config.outbox.dir) }
    public var templatesURL: URL { root.appendingPathComponent("templates") }
    public var signingKeyURL: URL { resolve(config.pass.signingKey) }
    public var publicKeyURL: URL { resolve(config.pass.publicKey) }

    /// A path from the config: absolute as written, otherwise relative to the workspace.
    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        if path.hasPrefix("~/") {
            return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(String(path.dropFirst(2)))
        }
        return root.appendingPathComponent(path)
    }

    /// Creates the standard sub-folders if missing.
    public func ensureFolders() throws {
        for dir in [sessionsURL, passesURL, outboxURL] {
            do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
                throw PassmailError.cantCreate("\(dir.path): cannot create folder (\(error.localizedDescription))")
            }
        }
    }
}

/// Names of the environment variables that carry secrets.
///
/// Secrets come only from here (or 0600 files these point at); they are never
/// written to the database, a session file, a log, the outbox or a pass.
public enum Secrets {
    public static let smtpPassword = "PASSMAIL_SMTP_PASSWORD"
    public static let mailjetPublicKey = "MJ_APIKEY_PUBLIC"
    public static let mailjetPrivateKey = "MJ_APIKEY_PRIVATE"
    public static let passSigningKey = "PASSMAIL_PASS_SIGNING_KEY"

    public static func value(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let v = environment[name], !v.isEmpty else { return nil }
        return v
    }
}
