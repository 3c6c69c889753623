import Foundation
import Core
@testable import Mail

/// Messages and transports for the Mail tests.
enum Fixtures {
    static let pdf = Data("%PDF-1.7\n".utf8) + Data(repeating: 0x42, count: 38 * 1024) + Data("\n%%EOF\n".utf8)

    static func message(_ n: Int, to address: String? = nil, run: String = "r1") -> OutgoingMessage {
        OutgoingMessage(attendeeID: "a\(n)", customID: "\(run).a\(n)", messageID: "\(run).a\(n)@passmail.test",
                        from: Mailbox(name: "RustConf Team", address: "team@example.org"),
                        to: Mailbox(name: "Attendee \(n)", address: address ?? "a\(n)@example.org"),
                        subject: "Your pass #\(n)", text: "Hello \(n)\n", html: "<p>Hello \(n)</p>",
                        attachments: [Attachment(fileName: "Pass - Attendee \(n).pdf", data: pdf)])
    }

    static func smtp(port: Int, security: PassmailConfig.SMTPSecurity = .none, host: String = "127.0.0.1",
                     user: String? = nil, password: String? = nil, ca: Data? = nil, responseTimeout: Int = 30,
                     connections: Int = 1) -> SMTPTransport {
        SMTPTransport(settings: .init(host: host, port: port, security: security, username: user, password: password,
                                      extraCertificates: ca, connectTimeoutSeconds: 5, responseTimeoutSeconds: responseTimeout,
                                      heloName: "passmail.test"), connections: connections)
    }
}

extension DeliveryOutcome {
    /// "sent", "transient", "permanent", "inDoubt" or "fatal", for compact assertions.
    var kind: String {
        switch self {
        case .sent: "sent"
        case .transient: "transient"
        case .permanent: "permanent"
        case .inDoubt: "inDoubt"
        case .fatal: "fatal"
        }
    }
}
