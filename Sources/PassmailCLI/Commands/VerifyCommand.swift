import Foundation
import Core
import Roster
import Passes

/// `passmail verify`: checks pass tokens at the door and says whose they are.
///
/// Needs only the public key; the roster, when the workspace has one, adds
/// the attendee's name. A scanner can pipe tokens in, one per line, and
/// read one result line back per token.
public enum VerifyCommand: PassmailCommand {
    public static let name = "verify"
    public static let abstract = "Check a pass token (argument or one per line on stdin) and say whose it is"
    public static let arguments = "[TOKEN | -]"
    public static let discussion = """
        With TOKEN, prints who the pass belongs to and exits 0 when it is valid; a tampered, truncated or
        foreign-key token exits 1 with the reason on stderr. Without TOKEN (or with -), reads tokens from
        stdin, one per line, and prints one line per token: "valid: ..." or "invalid: REASON"; exits 1 if
        any was invalid.

        The public key is --public-key FILE, else the workspace's pass.public_key (or the public half of
        $PASSMAIL_PASS_SIGNING_KEY when set). Outside a workspace, --public-key is required. Inside one,
        passes for another event id are refused; names come from the roster.

        --code CODE checks the short code printed under the QR code instead (for a phone that will not
        scan); it needs the workspace, its roster and its signing key.

        Examples:
          passmail verify 'PM1.Y29u...'
          zbarimg --raw -q scan.png | passmail verify --public-key door.pub.pem
        """
    public static let options: [OptionSpec] = [
        OptionSpec("--public-key", short: "-k", value: "FILE", help: "Public key PEM to trust (default: the workspace's)"),
        OptionSpec("--event", value: "ID", help: "Refuse passes for any other event id (default in a workspace: event.id)"),
        OptionSpec("--json", help: "One JSON object per token instead of text"),
        OptionSpec("--code", value: "CODE", help: "Look up the short code printed under the QR code (needs the workspace and its signing key)"),
    ]

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 1)
        let workspace = try openWorkspaceIfPresent(invocation)
        if let code = invocation.option("--code") {
            return try verifyCode(code, workspace: workspace, invocation: invocation)
        }
        let key: Ed25519PublicKey
        if let path = invocation.option("--public-key") {
            key = try PassKeys.publicKey(at: URL(fileURLWithPath: path))
        } else if let workspace {
            key = try PassKeys.verificationKey(for: workspace, environment: invocation.environment)
        } else {
            throw PassmailError.usage(
                "verify: no public key: pass --public-key FILE, or run inside a workspace (\(invocation.workspaceRoot.path) has no passmail.toml)")
        }
        let verifier = PassVerifier(publicKey: key, expectedEventID: invocation.option("--event") ?? workspace?.config.event.id)
        let lookup = AttendeeLookup(workspace: workspace, console: invocation.console)
        let json = invocation.flag("--json")

        if let token = invocation.positionals.first, token != "-" {
            do {
                let claims = try verifier.verify(token)
                invocation.console.out(resultLine(claims, lookup: lookup, json: json))
                return .ok
            } catch {
                if json { invocation.console.out(jsonLine(error)) }
                invocation.console.err("passmail: invalid pass: \(error)")
                return .finishedWithProblems
            }
        }
        if invocation.console.stdinIsTerminal {
            invocation.console.err("Reading tokens from stdin, one per line (Ctrl-D to finish).")
        }
        var anyInvalid = false
        while let line = readLine(strippingNewline: true) {
            let token = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if token.isEmpty { continue }
            do {
                let claims = try verifier.verify(token)
                invocation.console.out(resultLine(claims, lookup: lookup, json: json))
            } catch {
                anyInvalid = true
                invocation.console.out(json ? jsonLine(error) : "invalid: \(error)")
            }
        }
        return anyInvalid ? .finishedWithProblems : .ok
    }

    /// For a pass whose QR code will not scan: the door reads out the short code instead.
    ///
    /// Codes are signatures, so checking one needs the signing key; each
    /// roster attendee's code is recomputed and compared.
    private static func verifyCode(_ typed: String, workspace: Workspace?, invocation: Invocation) throws -> ExitCode {
        if !invocation.positionals.isEmpty { throw PassmailError.usage("verify: give a TOKEN or --code CODE, not both") }
        guard let workspace else {
            throw PassmailError.usage("verify --code needs the workspace (its roster and signing key); codes cannot be checked with a public key alone")
        }
        guard let code = HumanCode.normalise(typed) else {
            invocation.console.err("passmail: invalid code: \"\(typed)\" is not a pass code (8 letters and digits like K7QX-4PM2)")
            return .finishedWithProblems
        }
        let issuer = try PassIssuer(workspace: workspace, environment: invocation.environment)
        let roster = try RosterStore(workspace: workspace)
        guard let attendee = try roster.attendees(matching: .everyone).first(where: { issuer.humanCode(for: $0) == code }) else {
            invocation.console.err("passmail: invalid code: no attendee on the roster has code \(code)")
            return .finishedWithProblems
        }
        let name = attendee.fullName.isEmpty ? attendee.email : attendee.fullName
        let type = attendee.passType.isEmpty ? "Attendee" : attendee.passType
        var parts = ["\(name) (\(attendee.id))", type]
        if !attendee.company.isEmpty { parts.append(attendee.company) }
        parts.append("event \(workspace.config.event.id)")
        parts.append("code \(code)")
        invocation.console.out("valid: " + parts.joined(separator: " · "))
        return .ok
    }

    private static func openWorkspaceIfPresent(_ invocation: Invocation) throws -> Workspace? {
        let config = invocation.workspaceRoot.appendingPathComponent(Workspace.configFileName)
        guard FileManager.default.fileExists(atPath: config.path) else { return nil }
        return try invocation.openWorkspace()
    }

    private static func resultLine(_ claims: PassClaims, lookup: AttendeeLookup, json: Bool) -> String {
        let attendee = lookup.find(claims)
        let onRoster: Bool? = lookup.hasRoster ? attendee != nil : nil
        return json ? jsonLine(claims, attendee, onRoster: onRoster) : textLine(claims, attendee, onRoster: onRoster)
    }

    /// `onRoster` is nil when there is no roster to ask (outside a workspace).
    static func textLine(_ claims: PassClaims, _ attendee: Attendee?, onRoster: Bool?) -> String {
        var parts: [String] = []
        if let attendee {
            let name = attendee.fullName.isEmpty ? attendee.email : attendee.fullName
            parts.append("\(name) (\(attendee.id))")
        } else {
            // A genuine signature for someone since removed from the roster (a refund?): say so at the door.
            parts.append("attendee \(claims.attendeeID)" + (claims.attendeeIDIsHashed ? " (hashed id)" : "")
                         + (onRoster == false ? " (not on the roster)" : ""))
        }
        var type = claims.passType.isEmpty ? "Attendee" : claims.passType
        if let attendee, TokenFieldCheck.differs(attendee.passType, claims.passType) {
            type += " (the roster now says \(attendee.passType.isEmpty ? "no type" : attendee.passType))"
        }
        parts.append(type)
        if let company = attendee?.company, !company.isEmpty { parts.append(company) }
        parts.append("event \(claims.eventID)")
        parts.append("issued \(timestamp(claims.issuedAt))")
        return "valid: " + parts.joined(separator: " · ")
    }

    static func jsonLine(_ claims: PassClaims, _ attendee: Attendee?, onRoster: Bool?) -> String {
        var o: [String: Any] = [
            "valid": true, "attendee_id": claims.attendeeID, "event_id": claims.eventID, "pass_type": claims.passType,
            "issued_at": ISO8601DateFormatter().string(from: claims.issuedAt), "key_id": claims.keyID,
        ]
        if let onRoster { o["on_roster"] = onRoster }
        if let attendee {
            o["attendee_id"] = attendee.id
            o["name"] = attendee.fullName
            o["email"] = attendee.email
            o["company"] = attendee.company
            o["roster_pass_type"] = attendee.passType
        }
        return serialise(o)
    }

    static func jsonLine(_ error: PassTokenError) -> String { serialise(["valid": false, "reason": error.description]) }

    private static func serialise(_ o: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: date)
    }
}

/// Compares a roster pass type with the type signed into a token (which may be hashed).
enum TokenFieldCheck {
    static func differs(_ rosterValue: String, _ tokenValue: String) -> Bool {
        TokenField.encode(rosterValue.trimmingCharacters(in: .whitespaces)) != tokenValue
    }
}

/// Finds the roster attendee a token names, by id or by hashed id.
///
/// The roster is optional: outside a workspace, without a database, or when
/// it cannot be read, verification still works and just shows the id.
final class AttendeeLookup {
    private let roster: RosterStore?
    private var byHashedID: [String: Attendee]?
    var hasRoster: Bool { roster != nil }

    init(workspace: Workspace?, console: Console) {
        guard let workspace, FileManager.default.fileExists(atPath: workspace.databaseURL.path) else {
            roster = nil
            return
        }
        do { roster = try RosterStore(workspace: workspace) } catch {
            console.err("passmail: warning: cannot read the roster (\(error)); showing ids only")
            roster = nil
        }
    }

    func find(_ claims: PassClaims) -> Attendee? {
        guard let roster else { return nil }
        if !claims.attendeeIDIsHashed { return try? roster.attendee(id: claims.attendeeID) }
        if byHashedID == nil {
            let everyone = (try? roster.attendees(matching: .everyone)) ?? []
            byHashedID = Dictionary(everyone.map { (TokenField.encode($0.id), $0) }, uniquingKeysWith: { a, _ in a })
        }
        return byHashedID?[claims.attendeeID]
    }
}
