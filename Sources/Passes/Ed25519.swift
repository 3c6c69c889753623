import Foundation
import Core
import CCrypto

/// A failure inside OpenSSL, with the library's own reason attached.
///
/// Callers above this file see a typed error with words, never an `Int32`.
public struct CryptoError: UserFacingError {
    public var message: String
    public var exitCode: ExitCode
    public var description: String { message }

    /// Builds the error from what OpenSSL queued on this thread, clearing the queue.
    static func openSSL(_ what: String, exitCode: ExitCode = .software) -> CryptoError {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buf = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buf, buf.count)
            reasons.append(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let detail = reasons.isEmpty ? "" : " (\(reasons.joined(separator: "; ")))"
        return CryptoError(message: what + detail, exitCode: exitCode)
    }
}

/// An Ed25519 private key held by OpenSSL (`EVP_PKEY`), used to sign pass tokens.
///
/// OpenSSL allows concurrent signing with one `EVP_PKEY` as long as nobody
/// modifies it; the lock makes that explicit and costs nothing next to a PDF.
public final class Ed25519PrivateKey: @unchecked Sendable {
    fileprivate let pkey: OpaquePointer
    private let lock = NSLock()

    fileprivate init(owning pkey: OpaquePointer) { self.pkey = pkey }
    deinit { EVP_PKEY_free(pkey) }

    /// A fresh random key. The corresponding C function is `EVP_PKEY_keygen`.
    public static func generate() throws -> Ed25519PrivateKey {
        guard let ctx = EVP_PKEY_CTX_new_id(ccrypto_evp_pkey_ed25519(), nil) else {
            throw CryptoError.openSSL("cannot create an Ed25519 key context")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_keygen(ctx, &key) == 1, let key else {
            throw CryptoError.openSSL("cannot generate an Ed25519 key")
        }
        return Ed25519PrivateKey(owning: key)
    }

    /// Reads a PKCS#8 PEM private key ("BEGIN PRIVATE KEY"); `source` names it in errors.
    ///
    /// Encrypted keys are refused rather than prompting on the terminal.
    public convenience init(pem: Data, source: String) throws {
        let key = try withMemoryBIO(pem) { ccrypto_read_private_key($0) }
        guard let key else {
            throw CryptoError.openSSL("\(source): not a readable PEM private key (encrypted keys are not supported)",
                                      exitCode: .config)
        }
        guard EVP_PKEY_get_id(key) == ccrypto_evp_pkey_ed25519() else {
            EVP_PKEY_free(key)
            throw CryptoError(message: "\(source): the key is not an Ed25519 key; passes are signed with Ed25519 "
                              + "(create one with `openssl genpkey -algorithm Ed25519`)", exitCode: .config)
        }
        self.init(owning: key)
    }

    /// PKCS#8 PEM text. The corresponding C function is `PEM_write_bio_PrivateKey`.
    public func pemData() throws -> Data {
        try writeMemoryBIO { PEM_write_bio_PrivateKey($0, pkey, nil, nil, 0, nil, nil) == 1 }
    }

    /// The public half, for verifying and for writing `pass-signing.pub.pem`.
    public func publicKey() throws -> Ed25519PublicKey {
        try Ed25519PublicKey(raw: rawPublicKey(pkey))
    }

    /// A 64-byte signature. The corresponding C function is `EVP_DigestSign` (NULL digest: pure Ed25519).
    public func sign(_ message: Data) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError.openSSL("cannot allocate a signing context") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, nil, nil, pkey) == 1 else {
            throw CryptoError.openSSL("cannot start an Ed25519 signature")
        }
        var sig = Data(count: 64)
        var sigLen = 64
        let ok = sig.withUnsafeMutableBytes { s in
            message.withUnsafeBytes { m in
                EVP_DigestSign(ctx, s.bindMemory(to: UInt8.self).baseAddress, &sigLen,
                               m.bindMemory(to: UInt8.self).baseAddress, m.count)
            }
        }
        guard ok == 1, sigLen == 64 else { throw CryptoError.openSSL("Ed25519 signing failed") }
        return sig
    }
}

/// An Ed25519 public key: all a door scanner needs to check a pass.
public final class Ed25519PublicKey: @unchecked Sendable {
    fileprivate let pkey: OpaquePointer
    /// The 32 raw key bytes (RFC 8032), used for the key id.
    public let raw: Data

    private init(owning pkey: OpaquePointer, raw: Data) {
        self.pkey = pkey
        self.raw = raw
    }
    deinit { EVP_PKEY_free(pkey) }

    /// From the 32 raw bytes. The corresponding C function is `EVP_PKEY_new_raw_public_key`.
    public convenience init(raw: Data) throws {
        guard raw.count == 32 else {
            throw CryptoError(message: "an Ed25519 public key has 32 bytes, not \(raw.count)", exitCode: .dataError)
        }
        let key = raw.withUnsafeBytes {
            EVP_PKEY_new_raw_public_key(ccrypto_evp_pkey_ed25519(), nil, $0.bindMemory(to: UInt8.self).baseAddress, 32)
        }
        guard let key else { throw CryptoError.openSSL("cannot load the Ed25519 public key") }
        self.init(owning: key, raw: raw)
    }

    /// Reads a PEM public key ("BEGIN PUBLIC KEY"), or derives it from a PEM private key.
    ///
    /// Accepting the private key too means a door laptop that only has the
    /// workspace's signing key still verifies; `source` names the file in errors.
    public convenience init(pem: Data, source: String) throws {
        if let key = try withMemoryBIO(pem, { ccrypto_read_public_key($0) }) {
            defer { EVP_PKEY_free(key) }
            guard EVP_PKEY_get_id(key) == ccrypto_evp_pkey_ed25519() else {
                throw CryptoError(message: "\(source): the public key is not an Ed25519 key", exitCode: .config)
            }
            try self.init(raw: rawPublicKey(key))
            return
        }
        ERR_clear_error()
        if String(decoding: pem, as: UTF8.self).contains("PRIVATE KEY-----") {
            let priv = try Ed25519PrivateKey(pem: pem, source: source)
            try self.init(raw: rawPublicKey(priv.pkey))
            return
        }
        throw CryptoError(message: "\(source): not a PEM public key (expected \"-----BEGIN PUBLIC KEY-----\")",
                          exitCode: .config)
    }

    /// SubjectPublicKeyInfo PEM text. The corresponding C function is `PEM_write_bio_PUBKEY`.
    public func pemData() throws -> Data {
        try writeMemoryBIO { PEM_write_bio_PUBKEY($0, pkey) == 1 }
    }

    /// True when `signature` is this key's signature of `message`.
    /// The corresponding C function is `EVP_DigestVerify` (NULL digest: pure Ed25519).
    public func isValidSignature(_ signature: Data, of message: Data) -> Bool {
        guard signature.count == 64, let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx); ERR_clear_error() }
        guard EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey) == 1 else { return false }
        let rc = signature.withUnsafeBytes { s in
            message.withUnsafeBytes { m in
                EVP_DigestVerify(ctx, s.bindMemory(to: UInt8.self).baseAddress, 64,
                                 m.bindMemory(to: UInt8.self).baseAddress, m.count)
            }
        }
        return rc == 1
    }

    /// Short fingerprint that goes into every token, so a pass signed by another
    /// key is reported as "foreign" rather than "tampered".
    public var keyID: String { Base64URL.encode(SHA256Digest.of(raw).prefix(4)) }
}

/// SHA-256 through OpenSSL's one-shot `EVP_Digest`.
enum SHA256Digest {
    static func of(_ data: Data) -> Data {
        var out = Data(count: 32)
        var len: UInt32 = 32
        _ = out.withUnsafeMutableBytes { o in
            data.withUnsafeBytes { d in
                EVP_Digest(d.baseAddress, d.count, o.bindMemory(to: UInt8.self).baseAddress, &len, EVP_sha256(), nil)
            }
        }
        return out
    }
}

// MARK: - BIO plumbing

private func rawPublicKey(_ pkey: OpaquePointer) throws -> Data {
    var raw = Data(count: 32)
    var len = 32
    let ok = raw.withUnsafeMutableBytes { EVP_PKEY_get_raw_public_key(pkey, $0.bindMemory(to: UInt8.self).baseAddress, &len) }
    guard ok == 1, len == 32 else { throw CryptoError.openSSL("cannot read the raw Ed25519 public key") }
    return raw
}

private func withMemoryBIO<T>(_ data: Data, _ body: (OpaquePointer) throws -> T) throws -> T {
    try data.withUnsafeBytes { buf in
        guard let bio = BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) else {
            throw CryptoError.openSSL("cannot allocate an OpenSSL memory buffer")
        }
        defer { BIO_free(bio) }
        return try body(bio)
    }
}

private func writeMemoryBIO(_ write: (OpaquePointer) -> Bool) throws -> Data {
    guard let bio = BIO_new(BIO_s_mem()) else { throw CryptoError.openSSL("cannot allocate an OpenSSL memory buffer") }
    defer { BIO_free(bio) }
    guard write(bio) else { throw CryptoError.openSSL("cannot write PEM") }
    var ptr: UnsafeMutablePointer<CChar>?
    let len = ccrypto_bio_get_mem_data(bio, &ptr)
    guard let ptr, len > 0 else { return Data() }
    return Data(bytes: ptr, count: len)
}
