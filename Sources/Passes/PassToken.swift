import Foundation

/// What a pass token says, once its signature has been checked.
///
/// Text fields are as written in the token: verbatim when short and plain,
/// otherwise `#` + a hash (see `TokenField`). `matches(attendeeID:)` compares
/// a roster id with either form.
public struct PassClaims: Sendable, Equatable {
    /// Fingerprint of the public key that signed the token.
    public var keyID: String
    public var eventID: String
    public var attendeeID: String
    public var passType: String
    /// Whole seconds; the token carries no sub-second precision.
    public var issuedAt: Date

    public init(keyID: String, eventID: String, attendeeID: String, passType: String, issuedAt: Date) {
        self.keyID = keyID
        self.eventID = eventID
        self.attendeeID = attendeeID
        self.passType = passType
        self.issuedAt = issuedAt
    }

    /// True when this pass was issued for the roster attendee with `id`.
    public func matches(attendeeID id: String) -> Bool { TokenField.encode(id) == attendeeID }
    public func matches(eventID id: String) -> Bool { TokenField.encode(id) == eventID }
    /// True when the attendee id in the token is a hash (the real id was too long or unusual).
    public var attendeeIDIsHashed: Bool { attendeeID.hasPrefix("#") }
}

/// How a text field goes into a token: short ids verbatim, anything else hashed.
///
/// Verbatim when it is at most 32 UTF-8 bytes, has no control characters and
/// does not start with `#`; otherwise `#` + base64url of the first 12 bytes of
/// its SHA-256 (16 characters). This bounds the token (and the QR code) while
/// keeping everyday ids readable, and stays unambiguous because a verbatim
/// field never starts with `#`.
public enum TokenField {
    public static let maxVerbatimBytes = 32

    public static func encode(_ value: String) -> String {
        let plain = value.utf8.count <= maxVerbatimBytes && !value.hasPrefix("#")
            && !value.unicodeScalars.contains { $0.properties.generalCategory == .control }
        if plain { return value }
        return "#" + Base64URL.encode(SHA256Digest.of(Data(value.utf8)).prefix(12))
    }
}

/// The compact, signed, ASCII token in every pass's QR code.
///
/// Format: `PM1.<payload>.<signature>` where payload is base64url of the UTF-8
/// text `keyID LF eventID LF attendeeID LF passType LF issuedAtUnixSeconds`,
/// and signature is base64url of the Ed25519 signature over the ASCII bytes
/// `PM1.<payload>` (so the version prefix is signed too, as in JWS).
public enum PassToken {
    public static let prefix = "PM1"

    /// Builds and signs a token.
    public static func sign(_ claims: PassClaims, with key: Ed25519PrivateKey) throws -> String {
        let seconds = Int64(claims.issuedAt.timeIntervalSince1970.rounded(.down))
        let payload = [claims.keyID, claims.eventID, claims.attendeeID, claims.passType, String(seconds)]
            .joined(separator: "\n")
        let signed = prefix + "." + Base64URL.encode(Data(payload.utf8))
        let signature = try key.sign(Data(signed.utf8))
        return signed + "." + Base64URL.encode(signature)
    }

    /// Checks a token against a public key and returns what it says.
    ///
    /// Every refusal has a reason a door volunteer can act on: not a passmail
    /// code at all, cut off while scanning or typing, altered, or signed by a
    /// different key (another event or a forger).
    public static func verify(_ token: String, with key: Ed25519PublicKey) throws(PassTokenError) -> PassClaims {
        var token = token.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(["\u{FEFF}"]))
        // `zbarimg` without --raw labels each code: "QR-Code:PM1...".
        if token.hasPrefix("QR-Code:") { token.removeFirst("QR-Code:".count) }
        if token.isEmpty { throw .empty }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts[0] == prefix else {
            if parts[0].hasPrefix("PM"), parts[0].count <= 4 { throw .unsupportedVersion(String(parts[0])) }
            throw .notAPassToken
        }
        guard parts.count == 3 else {
            throw parts.count < 3 ? .truncated("the signature part is missing") : .malformed("too many \".\" separators")
        }
        guard let payloadData = Base64URL.decode(parts[1]) else {
            throw .malformed("the payload is not valid base64url")
        }
        guard let signature = Base64URL.decode(parts[2]) else {
            throw parts[2].count < 86 ? .truncated("the signature is cut short") : .malformed("the signature is not valid base64url")
        }
        guard signature.count == 64 else {
            throw signature.count < 64 ? .truncated("the signature has \(signature.count) of 64 bytes")
                                       : .malformed("the signature has \(signature.count) bytes, expected 64")
        }
        guard let payload = String(data: payloadData, encoding: .utf8) else {
            throw .malformed("the payload is not UTF-8 text")
        }
        let fields = payload.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5 else {
            throw fields.count < 5 ? .truncated("the payload has \(fields.count) of 5 fields") : .malformed("the payload has \(fields.count) fields, expected 5")
        }
        if fields[0] != key.keyID { throw .foreignKey(tokenKeyID: fields[0], verifierKeyID: key.keyID) }
        let signed = Data(token.utf8.prefix(prefix.utf8.count + 1 + parts[1].utf8.count))
        guard key.isValidSignature(signature, of: signed) else { throw .badSignature }
        guard fields[4].utf8.allSatisfy({ (48...57).contains($0) }), let seconds = Int64(fields[4]) else {
            throw .malformed("the issue time \"\(fields[4])\" is not a number")
        }
        return PassClaims(keyID: fields[0], eventID: fields[1], attendeeID: fields[2], passType: fields[3],
                          issuedAt: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

/// Why a token was refused, in words for the person at the door.
public enum PassTokenError: Error, Equatable, CustomStringConvertible {
    case empty
    case notAPassToken
    case unsupportedVersion(String)
    case truncated(String)
    case malformed(String)
    case foreignKey(tokenKeyID: String, verifierKeyID: String)
    case badSignature
    case wrongEvent(tokenEventID: String, expected: String)

    public var description: String {
        switch self {
        case .empty: "empty token"
        case .notAPassToken: "not a passmail pass (a pass token starts with \"PM1.\")"
        case .unsupportedVersion(let v): "token version \(v) is not supported by this passmail (it reads PM1)"
        case .truncated(let why): "truncated token: \(why) (scan it again)"
        case .malformed(let why): "malformed token: \(why)"
        case .foreignKey(let t, let v):
            "signed by a different key (key \(t); this verifier trusts key \(v)): a pass for another event, or forged"
        case .badSignature: "signature does not match: the token was altered or forged"
        case .wrongEvent(let t, let e): "pass is for event \"\(t)\", not \"\(e)\""
        }
    }
}
