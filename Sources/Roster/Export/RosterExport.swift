import Foundation
import Core

/// The roster as JSON and CSV: `passmail list --json`, `list --csv` and `export` print exactly this.
///
/// Column and key names are the database's (`first_name`, `emailed_at`...) so a
/// report, a script and the schema speak the same words. Times are ISO 8601 UTC.
public enum RosterExport {
    /// The fixed columns, before the imported fields.
    public static let columns = ["id", "first_name", "last_name", "email", "company", "pass_type",
                                 "status", "pass_generated_at", "emailed_at", "message_id", "last_error"]

    public static func timestamp(_ d: Date?) -> String {
        guard let d else { return "" }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }

    static func fixedValues(_ a: Attendee) -> [String] {
        [a.id, a.firstName, a.lastName, a.email, a.company, a.passType, a.delivery.status.rawValue,
         timestamp(a.delivery.passGeneratedAt), timestamp(a.delivery.emailedAt), a.delivery.messageId ?? "",
         a.delivery.lastError ?? ""]
    }

    /// Names of the imported fields across attendees, in order of first appearance.
    public static func fieldNames(_ attendees: [Attendee]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for a in attendees { for f in a.fields where seen.insert(f.name).inserted { out.append(f.name) } }
        return out
    }

    /// RFC 4180 CSV with a header row: fixed columns, then every imported field.
    ///
    /// A field name that clashes with a fixed column is written as `field:NAME`.
    public static func csv(_ attendees: [Attendee], delimiter: Character = ",", byteOrderMark: Bool = false) -> String {
        let names = fieldNames(attendees)
        var w = CSVWriter(delimiter: delimiter)
        w.append(columns + names.map { columns.contains($0) ? "field:\($0)" : $0 })
        for a in attendees {
            w.append(fixedValues(a) + names.map { a.field($0) ?? "" })
        }
        return (byteOrderMark ? "\u{FEFF}" : "") + w.text
    }

    /// One JSON array, one attendee object per line; `fields` is an object in file order.
    public static func json(_ attendees: [Attendee]) -> String {
        var out = "["
        for (i, a) in attendees.enumerated() {
            out += i == 0 ? "\n  " : ",\n  "
            appendObject(a, to: &out)
        }
        out += attendees.isEmpty ? "]" : "\n]"
        return out
    }

    public static func appendObject(_ a: Attendee, to out: inout String) {
        func str(_ key: String, _ value: String?, first: Bool = false) {
            if !first { out += ", " }
            FieldsJSON.appendString(key, to: &out)
            out += ": "
            if let value { FieldsJSON.appendString(value, to: &out) } else { out += "null" }
        }
        out += "{"
        str("id", a.id, first: true)
        str("first_name", a.firstName)
        str("last_name", a.lastName)
        str("email", a.email)
        str("company", a.company)
        str("pass_type", a.passType)
        str("status", a.delivery.status.rawValue)
        str("pass_generated_at", a.delivery.passGeneratedAt.map { timestamp($0) })
        str("emailed_at", a.delivery.emailedAt.map { timestamp($0) })
        str("message_id", a.delivery.messageId)
        str("last_error", a.delivery.lastError)
        out += ", \"fields\": {"
        for (i, f) in a.fields.enumerated() {
            if i > 0 { out += ", " }
            FieldsJSON.appendString(f.name, to: &out)
            out += ": "
            FieldsJSON.appendString(f.value, to: &out)
        }
        out += "}}"
    }
}
