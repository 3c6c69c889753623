import Foundation
import Core

/// The pass signing key pair on disk: creating it, and loading it safely.
///
/// The private key lives in a 0600 file (created with that mode, never briefly
/// readable by others) or in `PASSMAIL_PASS_SIGNING_KEY`; it is never written
/// anywhere else. Like ssh, a private key file readable by group or others is
/// refused rather than used.
public enum PassKeys {
    /// Creates a new key pair: private key at `privateKeyAt` (0600), public key at `publicKeyAt` (0644).
    ///
    /// Refuses to overwrite an existing private key: every pass already sent
    /// would stop verifying. Creates missing folders with mode 0700.
    @discardableResult
    public static func generate(privateKeyAt privateURL: URL, publicKeyAt publicURL: URL) throws -> Ed25519PublicKey {
        if FileManager.default.fileExists(atPath: privateURL.path) {
            throw PassmailError.cantCreate(
                "\(privateURL.path): a signing key already exists; passes signed with it would stop verifying if it were replaced, so it is kept")
        }
        for dir in Set([privateURL.deletingLastPathComponent().path, publicURL.deletingLastPathComponent().path]) {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw PassmailError.cantCreate("\(dir): cannot create the key folder (\(error.localizedDescription))")
            }
        }
        let key = try Ed25519PrivateKey.generate()
        let publicKey = try key.publicKey()
        try AtomicFile.write(try key.pemData(), to: privateURL, mode: 0o600)
        try AtomicFile.write(try publicKey.pemData(), to: publicURL, mode: 0o644)
        return publicKey
    }

    /// Creates the workspace's key pair at `config.pass.signingKey` / `publicKey`.
    @discardableResult
    public static func generate(for workspace: Workspace) throws -> Ed25519PublicKey {
        try generate(privateKeyAt: workspace.signingKeyURL, publicKeyAt: workspace.publicKeyURL)
    }

    /// The signing key: `PASSMAIL_PASS_SIGNING_KEY` (PEM) if set, else the workspace's key file.
    public static func signingKey(for workspace: Workspace,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Ed25519PrivateKey {
        if var pem = Secrets.value(Secrets.passSigningKey, environment: environment) {
            // CI secret stores often keep a PEM on one line with literal "\n" escapes.
            if !pem.contains("\n"), pem.contains("\\n") { pem = pem.replacingOccurrences(of: "\\n", with: "\n") }
            return try Ed25519PrivateKey(pem: Data(pem.utf8), source: Secrets.passSigningKey)
        }
        return try signingKey(at: workspace.signingKeyURL)
    }

    /// Loads a private key file after checking it exists and is private to its owner.
    public static func signingKey(at url: URL) throws -> Ed25519PrivateKey {
        var st = stat()
        guard stat(url.path, &st) == 0 else {
            if errno == ENOENT {
                throw PassmailError.noInput(
                    "\(url.path): pass signing key not found (pass.signing_key); `passmail init` creates one, or run "
                    + "`openssl genpkey -algorithm Ed25519 -out \(url.path) && chmod 600 \(url.path)`, "
                    + "or set \(Secrets.passSigningKey) to a PEM key")
            }
            throw PassmailError.noInput("\(url.path): cannot read the pass signing key (\(String(cString: strerror(errno))))")
        }
        let perms = st.st_mode & 0o777
        if perms & 0o077 != 0 {
            throw PassmailError.config(
                "\(url.path): permissions \(String(format: "%04o", perms)) are too open; the pass signing key must be "
                + "readable only by you (run `chmod 600 \(url.path)`)")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PassmailError.noInput("\(url.path): cannot read the pass signing key (\(error.localizedDescription))")
        }
        return try Ed25519PrivateKey(pem: data, source: url.path)
    }

    /// Loads a public key file (a private key file works too: its public half is used).
    public static func publicKey(at url: URL) throws -> Ed25519PublicKey {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            let missing = !FileManager.default.fileExists(atPath: url.path)
            throw PassmailError.noInput(
                "\(url.path): " + (missing ? "public key not found" : "cannot read the public key (\(error.localizedDescription))"))
        }
        return try Ed25519PublicKey(pem: data, source: url.path)
    }

    /// The key a verifier in this workspace trusts.
    ///
    /// The public key file (`pass.public_key`); when it is missing, the public
    /// half of the signing key (environment or file), so verifying works
    /// wherever issuing does.
    public static func verificationKey(for workspace: Workspace,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Ed25519PublicKey {
        if Secrets.value(Secrets.passSigningKey, environment: environment) != nil {
            return try signingKey(for: workspace, environment: environment).publicKey()
        }
        if FileManager.default.fileExists(atPath: workspace.publicKeyURL.path) {
            return try publicKey(at: workspace.publicKeyURL)
        }
        if FileManager.default.fileExists(atPath: workspace.signingKeyURL.path) {
            return try signingKey(at: workspace.signingKeyURL).publicKey()
        }
        throw PassmailError.noInput(
            "\(workspace.publicKeyURL.path): public key not found (pass.public_key), and no signing key at "
            + "\(workspace.signingKeyURL.path); pass --public-key FILE")
    }
}
