import Foundation
import Core
import Roster
import Passes
import Mail
import Engine

/// The effects that read or write the workspace: off the main actor, results as messages.
///
/// Templates and the pass issuer are loaded on first use and kept, so a
/// preview after the first is fast; a failure to load is reported, not cached.
actor TUIServices {
    let workspace: Workspace
    let store: RosterStore
    private var templates: MailTemplates?
    private var issuer: PassIssuer?

    init(workspace: Workspace, store: RosterStore) {
        self.workspace = workspace
        self.store = store
    }

    private func loadTemplates() throws -> MailTemplates {
        if let templates { return templates }
        let t = try MailTemplates(workspace: workspace)
        templates = t
        return t
    }

    private func loadIssuer() throws -> PassIssuer {
        if let issuer { return issuer }
        let i = try PassIssuer(workspace: workspace)
        issuer = i
        return i
    }

    /// The first screenful and the true total (two cheap queries), or nil if they fail: the full
    /// load that follows reports the error.
    func firstPage(limit: Int) -> Msg? {
        guard let page = try? store.firstAttendees(limit: limit), let total = try? store.count() else { return nil }
        return .rosterFirstPage(page, total: total)
    }

    func reloadRoster() -> Msg {
        do {
            return .rosterLoaded(RosterIndex(try store.attendees()), passTypes: try store.passTypes())
        } catch {
            return .rosterLoadFailed("\(error)")
        }
    }

    /// The strict check before a send: templates for every attendee, pass signing, transport settings.
    func checkSend(ids: [String]) -> Msg {
        var problems: [String] = []
        var count = 0
        func add(_ p: String) { count += 1; if problems.count < 50 { problems.append(p) } }
        templates = nil   // the organiser may have just fixed a template: read it again
        let t: MailTemplates?
        do { t = try loadTemplates() } catch { t = nil; add("\(error)") }
        let i: PassIssuer?
        do { i = try loadIssuer() } catch { i = nil; add("\(error)") }
        do { _ = try TransportFactory.make(workspace: workspace) } catch { add("\(error)") }
        if let t, let i {
            do {
                for a in try store.attendees(matching: AttendeeFilter(ids: ids)) {
                    for p in t.check(a, passCode: i.humanCode(for: a)) { add(p.description) }
                }
            } catch {
                add("cannot read the roster: \(error)")
            }
        }
        return .sendChecked(problems: problems, problemCount: count)
    }

    func preview(id: String) -> Msg {
        do {
            guard let a = try store.attendee(id: id) else { return .previewFailed(attendeeID: id, reason: "not in the roster any more") }
            let t = try loadTemplates()
            let i = try loadIssuer()
            let code = i.humanCode(for: a)
            let mail = try t.render(a, passCode: code)
            let pass = try i.issue(for: a)
            let to = a.fullName.isEmpty ? a.email : "\(a.fullName) <\(a.email)>"
            return .previewReady(PreviewContent(attendeeID: id, to: to, subject: mail.subject, text: mail.text,
                                                attachmentName: pass.fileName, attachmentBytes: pass.pdf.count,
                                                humanCode: pass.humanCode))
        } catch {
            return .previewFailed(attendeeID: id, reason: "\(error)")
        }
    }

    /// `o` in the preview: the pass PDF into `passes/`, as `passmail pass` writes it.
    func writePass(id: String) -> Msg {
        do {
            guard let a = try store.attendee(id: id) else { return .effectFailed("\(id) is not in the roster any more") }
            let pass = try loadIssuer().issue(for: a)
            try workspace.ensureFolders()
            let url = workspace.passesURL.appendingPathComponent(pass.fileName)
            try pass.writePDF(to: url)
            try? store.recordPassGenerated(ids: [id], at: Date())
            return .passWritten(attendeeID: id, path: url.path)
        } catch {
            return .effectFailed("Cannot write the pass: \(error)")
        }
    }

    /// `e` on the summary: one CSV row per attendee of the run, from the roster's delivery records.
    func exportReport(runID: String, ids: [String]) -> Msg {
        do {
            let attendees = ids.isEmpty ? [] : try store.attendees(matching: AttendeeFilter(ids: ids))
            let iso = ISO8601DateFormatter()
            var csv = "id,first_name,last_name,email,company,pass_type,status,emailed_at,message_id,error\r\n"
            for a in attendees {
                let d = a.delivery
                let cells = [a.id, a.firstName, a.lastName, a.email, a.company, a.passType, d.status.rawValue,
                             d.emailedAt.map { iso.string(from: $0) } ?? "", d.messageId ?? "", d.lastError ?? ""]
                csv += cells.map(Self.csvCell).joined(separator: ",") + "\r\n"
            }
            let dir = workspace.root.appendingPathComponent("reports")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let name = runID.isEmpty ? "report.csv" : "\(runID).csv"
            let url = dir.appendingPathComponent(name)
            try AtomicFile.write(Data(csv.utf8), to: url)
            return .reportExported(path: url.path)
        } catch {
            return .effectFailed("Cannot write the report: \(error)")
        }
    }

    /// RFC 4180 quoting; cells starting with = + - @ are prefixed so spreadsheets don't run them.
    static func csvCell(_ s: String) -> String {
        var v = s
        if let f = v.first, "=+-@".contains(f) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    func abandon(runID: String) -> Msg {
        do {
            _ = try RunCatalog.cancel(workspace: workspace, runID: runID)
            return .runAbandoned(runID: runID)
        } catch {
            return .effectFailed("Cannot abandon run \(runID): \(error)")
        }
    }
}
