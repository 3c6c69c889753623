import Foundation
import Core
import Roster
import Passes
import Mail
import Engine

/// `passmail preview`: Print the full message that would be sent to one attendee
public enum PreviewCommand: PassmailCommand {
    public static let name = "preview"
    public static let abstract = "Print the full message that would be sent to one attendee"
    public static let arguments = "ID"
    public static let discussion = """
        Renders the templates for one attendee, signs their pass and prints the
        message as it would be sent: the headers exactly as they go on the wire
        (encoded words and all), then each part with its headers and its text
        decoded for reading. The pass PDF is summarised, not dumped:
          [attachment: Pass - Zoë Müller.pdf, application/pdf, 38 KB]
        The Message-ID here is a preview one; a run gives every message its own.

        --eml FILE writes the exact message, PDF included, to FILE so you can open
        it in a mail client ("-" writes it to stdout).

        EXAMPLES:
          passmail preview a17
          passmail preview a17 --eml /tmp/a17.eml && xdg-open /tmp/a17.eml

        EXIT CODES: 0 ok · 65 unknown attendee or a template problem · 66/78 workspace or key problems
        """
    public static let options: [OptionSpec] = [
        OptionSpec("--eml", value: "FILE", help: "Also write the exact message (with the PDF) to FILE, or - for stdout"),
    ]

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 1)
        guard let id = invocation.positionals.first else {
            throw PassmailError.usage("preview: which attendee? give an id, e.g. `passmail preview a17` (ids: `passmail list`)")
        }
        let workspace = try invocation.openWorkspace()
        let templates = try MailTemplates(workspace: workspace)
        let store = try RosterStore(workspace: workspace)
        guard let attendee = try store.attendee(id: id) else {
            let total = try store.count()
            throw PassmailError.data(total == 0
                ? "preview: the roster is empty; import attendees with `passmail import FILE`"
                : "preview: no attendee with id \"\(id)\" (see `passmail list`)")
        }
        let issuer = try PassIssuer(workspace: workspace, environment: invocation.environment)
        let message = try MessagePreview.compose(attendee: attendee, workspace: workspace, templates: templates, issuer: issuer)
        if let path = invocation.option("--eml") {
            let data = try MIMEWriter.serialize(message)
            if path == "-" {
                invocation.console.outData(data)
                return .ok
            }
            let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            try AtomicFile.write(data, to: url)
            invocation.console.err("passmail: wrote \(url.path) (\(data.count) bytes)")
        }
        invocation.console.outRaw(try MIMEWriter.render(message, style: .preview))
        return .ok
    }
}

/// Builds one attendee's message the way a run does (same templates, pass and sender).
enum MessagePreview {
    static func compose(attendee: Attendee, workspace: Workspace, templates: MailTemplates, issuer: PassIssuer,
                        date: Date = Date()) throws -> OutgoingMessage {
        let pass = try issuer.issue(for: attendee, issuedAt: date)
        let mail: RenderedMail
        do { mail = try templates.render(attendee, passCode: pass.humanCode) } catch let e as TemplateRenderError {
            // Every problem, not just the first: the organiser fixes them in one go.
            throw PassmailError.data(e.problems.map(\.description).joined(separator: "\n"))
        }
        let sender = workspace.config.sender
        let runID = "preview"
        let domain = MessageIdentity.domain(ofSender: sender.email)
        return OutgoingMessage(passFor: attendee, sender: sender, mail: mail,
                               pass: Attachment(fileName: pass.fileName, contentType: "application/pdf", data: pass.pdf),
                               customID: MessageIdentity.customID(runID: runID, attendeeID: attendee.id),
                               messageID: MessageIdentity.messageID(runID: runID, attendeeID: attendee.id, domain: domain),
                               date: date)
    }
}
