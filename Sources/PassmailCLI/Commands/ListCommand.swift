import Foundation
import Core
import Roster

/// `passmail list`: List attendees matching filters (table, --json or --csv)
public enum ListCommand: PassmailCommand {
    public static let name = "list"
    public static let abstract = "List attendees matching filters (table, --json or --csv)"
    public static let arguments = ""
    public static let discussion = """
        Filters combine: every attendee shown passes all of them. Pass types compare
        case-insensitively; --search looks in name, email and company, ignoring case and
        accents ("zoe muller" finds "Zoë Müller"); every word must occur.

        EXAMPLES:
          passmail list --exclude-type Exhibitor
          passmail list --type Speaker,VIP --status unsent
          passmail list --status failed --json | jq -r '.[].email'
          passmail list --search "acme" --csv > acme.csv
        """
    public static let options: [OptionSpec] = FilterOptions.specs + [
        OptionSpec("--json", help: "One JSON array of attendee objects"),
        OptionSpec("--csv", help: "CSV (RFC 4180), the same columns as `passmail export`"),
    ]

    public static func run(_ invocation: Invocation) async throws -> ExitCode {
        try invocation.expectPositionals(max: 0)
        if invocation.flag("--json"), invocation.flag("--csv") {
            throw PassmailError.usage("list: choose one of --json and --csv")
        }
        let filter = try FilterOptions.parse(invocation.arguments)
        let store = try RosterStore(workspace: try invocation.openWorkspace())
        let attendees = try RosterSelection.select(filter, from: store, console: invocation.console)
        if invocation.flag("--json") {
            invocation.console.out(RosterExport.json(attendees))
        } else if invocation.flag("--csv") {
            invocation.console.outRaw(RosterExport.csv(attendees))
        } else if attendees.isEmpty {
            let total = try store.count()
            invocation.console.out(total == 0 ? "The roster is empty." : "No attendee matches (of \(total)).")
            if total == 0 { invocation.console.err("passmail: import attendees with `passmail import FILE`") }
        } else {
            let width = invocation.console.stdoutIsTerminal ? terminalColumns(invocation.environment) : nil
            // One write, not one per line: a 100,000-row roster prints in a blink.
            invocation.console.outRaw(AttendeeTable.render(attendees, maxWidth: width).joined(separator: "\n") + "\n")
            let total = filter.isEmpty ? attendees.count : try store.count()
            invocation.console.out("")
            invocation.console.out(attendees.count == total
                ? "\(total) attendee\(total == 1 ? "" : "s")"
                : "\(attendees.count) of \(total) attendees")
        }
        return .ok
    }
}

/// The terminal's width (TIOCGWINSZ on stdout, else $COLUMNS), so the table never wraps.
func terminalColumns(_ environment: [String: String]) -> Int? {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return environment["COLUMNS"].flatMap(Int.init)
}

/// Runs a filter against the store and warns about pass types no attendee has (likely typos).
enum RosterSelection {
    static func select(_ filter: AttendeeFilter, from store: RosterStore, console: Console) throws -> [Attendee] {
        let named = filter.includeTypes + filter.excludeTypes
        if !named.isEmpty {
            let types = try store.passTypes()
            let known = Set(types.map(AttendeeMatcher.typeKey))
            for t in named where !known.contains(AttendeeMatcher.typeKey(t)) {
                let list = types.isEmpty ? "none yet" : types.joined(separator: ", ")
                console.err("passmail: warning: no attendee has pass type \"\(t)\" (pass types: \(list))")
            }
        }
        let selected = try store.attendees(matching: filter)
        if let ids = filter.ids, !ids.isEmpty {
            let unknown = ids.filter { (try? store.attendee(id: $0)) == nil }
            if !unknown.isEmpty {
                console.err("passmail: warning: no attendee with id \(unknown.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
        }
        return selected
    }
}
