import Foundation
import Core

/// The roster filter options every command that selects attendees shares.
public enum FilterOptions {
    public static let specs: [OptionSpec] = [
        OptionSpec("--type", short: "-t", value: "T", repeatable: true, help: "Only this pass type (repeat or comma-separate for several)"),
        OptionSpec("--exclude-type", short: "-x", value: "T", repeatable: true, help: "Leave this pass type out (repeatable)"),
        OptionSpec("--status", value: "S", help: "unsent, sent, failed, in_doubt or any (default any)"),
        OptionSpec("--search", short: "-s", value: "TEXT", help: "Text in name, email or company (case- and accent-insensitive)"),
        OptionSpec("--ids", value: "A,B,...", repeatable: true, help: "Only these attendee ids"),
    ]

    public static func parse(_ args: ParsedArguments) throws -> AttendeeFilter {
        var f = AttendeeFilter()
        f.includeTypes = args.list("--type")
        f.excludeTypes = args.list("--exclude-type")
        if let s = args.option("--status") {
            let normalised = s.lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
            if normalised == "any" || normalised == "all" {
                f.status = nil
            } else if let st = DeliveryStatus(rawValue: normalised) {
                f.status = st
            } else {
                throw PassmailError.usage("--status: \"\(s)\" is not one of unsent, sent, failed, in_doubt, any")
            }
        }
        f.search = args.option("--search") ?? ""
        let ids = args.list("--ids")
        if args.values["--ids"] != nil { f.ids = ids }
        return f
    }
}
