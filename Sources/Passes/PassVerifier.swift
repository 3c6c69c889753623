import Foundation

/// Checks pass tokens at the door with only the public key: no database, no network.
public struct PassVerifier: Sendable {
    public let publicKey: Ed25519PublicKey
    /// When set, passes for any other event are refused even if the key matches
    /// (an organiser who reuses one key for several events).
    public var expectedEventID: String?

    public init(publicKey: Ed25519PublicKey, expectedEventID: String? = nil) {
        self.publicKey = publicKey
        self.expectedEventID = expectedEventID
    }

    public func verify(_ token: String) throws(PassTokenError) -> PassClaims {
        let claims = try PassToken.verify(token, with: publicKey)
        if let expectedEventID, !claims.matches(eventID: expectedEventID) {
            throw .wrongEvent(tokenEventID: claims.eventID, expected: expectedEventID)
        }
        return claims
    }
}
