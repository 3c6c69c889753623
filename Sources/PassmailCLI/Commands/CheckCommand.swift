import Foundation
import Core
import Roster
import Passes
import Mail

/// `passmail check`: Render every selected attendee's message and report all template problems
public enum CheckCommand: PassmailCommand {
    public static let name = "check"
    public static let abstract = "Render every selected attendee's message and report all template problems"
    public static let arguments = ""
    public static let discussion = """
        Renders the subject, text and HTML templates for every selected attendee
        (strictly: a field an attendee lacks or has empty is a problem) and checks
        the sender and every recipient address, then reports all problems at once,
        before anything is sent. `passmail send` runs the same check first.

        Problems are grouped by template line and field, with the attendees they
        affect; --each lists one line per attendee instead.

        Optional fields belong in sections: {{#company}}at {{company}}{{/company}}.

        EXAMPLES:
          passmail check
          passmail check --type Speaker --status unsent

        EXIT CODES: 0 no problems · 65 problems found (listed on stdout) · 66/78 workspace problems
        """
    public static let options: [OptionSpec] = FilterOptions.specs + [
        OptionSpec("--each", help: "One line per attendee and problem instead of grouping"),
    ]

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 0)
        let filter = try FilterOptions.parse(invocation.arguments)
        let workspace = try invocation.openWorkspace()
        let templates = try MailTemplates(workspace: workspace)
        let store = try RosterStore(workspace: workspace)
        let attendees = try RosterSelection.select(filter, from: store, console: invocation.console)
        let console = invocation.console
        if attendees.isEmpty {
            console.out(try store.count() == 0 ? "Templates compile; the roster is empty (nothing else to check)."
                                               : "Templates compile; no attendee matches the filters.")
            return .ok
        }
        let issuer = try PassIssuer(workspace: workspace, environment: invocation.environment)
        let report = TemplateCheck.run(attendees: attendees, templates: templates, config: workspace.config,
                                       passCode: { issuer.humanCode(for: $0) })
        if report.problems.isEmpty {
            let names = ["subject", workspace.config.templates.text] + (workspace.config.templates.html.map { [$0] } ?? [])
            console.out("OK: \(attendees.count) \(attendees.count == 1 ? "attendee renders" : "attendees render") without problems (\(names.joined(separator: ", ")))")
            return .ok
        }
        for line in invocation.flag("--each") ? report.eachLines : report.groupedLines { console.out(line) }
        console.out("")
        console.out("\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") for \(report.affected) of \(attendees.count) attendee\(attendees.count == 1 ? "" : "s"); nothing was sent")
        return .dataError
    }
}

/// The strict check over many attendees, grouped so 2,000 copies of one mistake read as one line.
struct TemplateCheck {
    var problems: [TemplateProblem] = []
    var affected = 0

    static func run(attendees: [Attendee], templates: MailTemplates, config: PassmailConfig,
                    passCode: (Attendee) -> String) -> TemplateCheck {
        var r = TemplateCheck()
        for (field, address) in [("[sender] email", config.sender.email)] + (config.sender.replyTo.map { [("[sender] reply_to", $0)] } ?? []) {
            if let reason = addressProblem(address) {
                r.problems.append(TemplateProblem(template: "passmail.toml", line: 0, field: field, attendeeID: "-", reason: reason))
            }
        }
        for a in attendees {
            var mine = templates.check(a, passCode: passCode(a))
            if let reason = addressProblem(a.email) {
                mine.append(TemplateProblem(template: "roster", line: 0, field: "email", attendeeID: a.id, reason: reason))
            }
            if !mine.isEmpty { r.affected += 1 }
            r.problems += mine
        }
        return r
    }

    static func addressProblem(_ address: String) -> String? {
        do { _ = try MIMEWriter.checkedAddress(address, field: "address"); return nil } catch let e as MIMEError {
            return e.reason
        } catch { return "\(error)" }
    }

    var eachLines: [String] {
        problems.map { p in
            if p.line > 0 { return p.description }
            return "\(p.template): \(p.field): \(p.reason)" + (p.attendeeID == "-" ? "" : " (attendee \(p.attendeeID))")
        }
    }

    var groupedLines: [String] { TemplateProblem.groupedLines(problems) }
}
