import Foundation
import Core

/// Turns data records into attendees one by one, collecting rejections and warnings.
///
/// Ids are assigned after every row is read, because whether an order number
/// can serve as an id depends on whether it repeats anywhere in the file.
struct RowReader {
    struct Accepted {
        var attendee: Attendee
        var line: Int
        var explicitId: String?
        var orderId: String?
    }

    let mapping: HeaderMapping
    let file: String
    var accepted: [Accepted] = []
    var rejected: [ImportIssue] = []
    var warnings: [ImportIssue] = []
    /// Rows not imported because their status says the person is not coming, with the id they
    /// would have had where it is known without the rest of the file (for "still on the roster" checks).
    var skipped: [(issue: ImportIssue, id: String?)] = []
    var rowsRead = 0
    /// Whether a "1234.0" id was read as "1234" (said once per file).
    var warnedDecimalIds = false

    init(mapping: HeaderMapping, file: String) {
        self.mapping = mapping
        self.file = file
    }

    mutating func read(_ record: CSVRecord) {
        // ",,,,," rows (what spreadsheets leave below the data) are blank lines too.
        if record.fields.allSatisfy({ $0.trimmedFast.isEmpty }) { return }
        rowsRead += 1
        var fields = record.fields
        let width = mapping.headers.count
        if fields.count > width, fields[width...].allSatisfy({ $0.trimmedFast.isEmpty }) {
            fields.removeLast(fields.count - width)   // trailing delimiters, as spreadsheets write them
        }
        guard fields.count == width else {
            rejected.append(ImportIssue(line: record.line, message:
                "has \(fields.count) field\(fields.count == 1 ? "" : "s") but the header has \(width) (a missing or extra delimiter, or an unquoted delimiter inside a value?)"))
            return
        }
        func value(_ i: Int?) -> String {
            guard let i else { return "" }
            let v = fields[i].trimmedFast
            return Self.isPlaceholder(v) ? "" : v
        }
        if let status = mapping.status, mapping.statusMeansNoPass(value(status)) {
            let explicit = mapping.id.map { _ in value(mapping.id) } ?? ""
            let email = value(mapping.email).isEmpty ? value(mapping.emailFallback) : value(mapping.email)
            var id: String?
            if mapping.id == nil {
                id = email.isEmpty ? nil : RosterImporter.derivedId(email: email)
            } else if !explicit.isEmpty, !mapping.idIsOrderLevel {
                id = explicit
            } else if !explicit.isEmpty, case let position = value(mapping.position), !position.isEmpty {
                id = "\(explicit)-\(position)"
            }
            let who = email.isEmpty ? "this row" : email
            skipped.append((ImportIssue(line: record.line, message:
                "\(who) not imported: \"\(mapping.headers[status])\" is \"\(value(status))\" (no pass for cancelled, refunded, declined or waitlisted registrations)"), id))
            return
        }
        var rawEmail = value(mapping.email)
        if rawEmail.isEmpty { rawEmail = value(mapping.emailFallback) }
        // Text copied from web pages and chat carries invisible characters (zero-width space, BOM,
        // soft hyphen, direction marks): never meant as part of an address, so they are removed.
        if rawEmail.utf8.contains(where: { $0 >= 0x80 }),
           case let invisible = rawEmail.unicodeScalars.filter({ $0.properties.generalCategory == .format }), !invisible.isEmpty {
            rawEmail = String(String.UnicodeScalarView(rawEmail.unicodeScalars.filter { $0.properties.generalCategory != .format })).trimmedFast
            let names = Set(invisible.map { String(format: "U+%04X", $0.value) }).sorted().joined(separator: ", ")
            warnings.append(ImportIssue(line: record.line, message: "\(rawEmail): removed invisible \(names) from the address"))
        }
        guard !rawEmail.isEmpty else {
            rejected.append(ImportIssue(line: record.line, message: "no email address (column \"\(mapping.headers[mapping.email])\" is empty)"))
            return
        }
        if let ascii = EmailAddress.asciiDomainForm(rawEmail), EmailAddress.validate(ascii) == nil {
            warnings.append(ImportIssue(line: record.line, message: "\(rawEmail): domain written in its ASCII form, \(ascii)"))
            rawEmail = ascii
        }
        if let reason = EmailAddress.validate(rawEmail) {
            rejected.append(ImportIssue(line: record.line, message: "\"\(rawEmail)\" is not a usable email address: \(reason)"))
            return
        }
        let email = EmailAddress.normalizeValid(rawEmail)
        var first = value(mapping.firstName)
        var last = value(mapping.lastName)
        if let full = mapping.fullName { (first, last) = NameSplitter.split(value(full)) }
        let extra = mapping.fieldColumns.map { Attendee.Field(name: $0.name, value: fields[$0.index]) }
        var id = value(mapping.id)
        if Self.looksRoundedBySpreadsheet(id) {
            rejected.append(ImportIssue(line: record.line, message:
                "the id \"\(id)\" (column \"\(mapping.headers[mapping.id!])\") is a long number a spreadsheet rounded; the real id is lost "
                + "and this person would be on the roster twice: export again from the ticketing system, or format the column as Text before saving"))
            return
        }
        if let whole = Self.wholeNumberWrittenAsDecimal(id) {
            // pandas and some spreadsheets write a number column with gaps as floats: 1234 becomes "1234.0".
            if !warnedDecimalIds {
                warnedDecimalIds = true
                warnings.append(ImportIssue(line: record.line, message:
                    "ids like \"\(id)\" are read as \"\(whole)\" (whole numbers written as decimals), as in other exports"))
            }
            id = whole
        }
        if mapping.idIsOrderLevel, !id.isEmpty, case let position = value(mapping.position), !position.isEmpty {
            id += "-\(position)"   // pretix: order code + position id ("Q7XKP-2") is the ticket's own id
        }
        let idIsOrderLevel = mapping.idIsOrderLevel && mapping.position == nil
        if first.isEmpty, last.isEmpty, mapping.firstName != nil || mapping.lastName != nil || mapping.fullName != nil {
            warnings.append(ImportIssue(line: record.line, message: "\(email) has no name; the pass will show none"))
        }
        let attendee = Attendee(id: "", firstName: first, lastName: last, email: email, company: value(mapping.company),
                                passType: value(mapping.passType), fields: extra)
        accepted.append(Accepted(attendee: attendee, line: record.line,
                                 explicitId: idIsOrderLevel || id.isEmpty ? nil : id,
                                 orderId: idIsOrderLevel && !id.isEmpty ? id : nil))
    }

    /// What exports write where the attendee has not filled something in (Eventbrite's "Info Requested",
    /// "N/A", "-"): no value, so it is not printed on a pass, and an empty attendee email falls back to the buyer's.
    static func isPlaceholder(_ v: String) -> Bool {
        guard let b = v.utf8.first, v.utf8.count <= 16,
              b == UInt8(ascii: "-") || b == UInt8(ascii: "(") || b == 0xE2 || (b | 0x20) == UInt8(ascii: "i") || (b | 0x20) == UInt8(ascii: "n")
        else { return false }
        return placeholders.contains(v.lowercased())
    }

    static let placeholders: Set<String> = ["info requested", "n/a", "-", "--", "—", "–", "null", "none", "(none)", "not provided", "(blank)"]

    /// "1234.0" → "1234"; nil for anything else ("1.5", "A-1.0", "1234").
    static func wholeNumberWrittenAsDecimal(_ id: String) -> String? {
        guard id.utf8.contains(UInt8(ascii: ".")) else { return nil }   // the common case, without allocating
        let u = Array(id.utf8)
        guard let dot = u.firstIndex(of: UInt8(ascii: ".")), dot > 0, dot + 1 < u.count,
              u[..<dot].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), u[(dot + 1)...].allSatisfy({ $0 == 0x30 }) else { return nil }
        return String(decoding: u[..<dot], as: UTF8.self)
    }

    /// "1.11111E+17", "1,23457E+09": how Excel shows (and then saves) a long number like a barcode.
    static func looksRoundedBySpreadsheet(_ id: String) -> Bool {
        guard id.utf8.contains(UInt8(ascii: "+")) else { return false }   // the common case, without allocating
        let u = Array(id.utf8)
        guard u.count >= 4, let e = u.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }),
              e + 2 < u.count, u[e + 1] == UInt8(ascii: "+") else { return false }
        func digits(_ s: ArraySlice<UInt8>) -> Bool { !s.isEmpty && s.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        let mantissa = u[..<e]
        guard digits(u[(e + 2)...]) else { return false }
        if let sep = mantissa.firstIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }) {
            return sep == mantissa.startIndex + 1 && digits(mantissa[..<sep]) && digits(mantissa[(sep + 1)...])
        }
        return mantissa.count == 1 && digits(mantissa)
    }

    /// Gives every accepted row its id, then drops rows whose id repeats (reporting both lines).
    mutating func assignIds() {
        var orderCount: [String: Int] = [:]
        for a in accepted { if let o = a.orderId { orderCount[o, default: 0] += 1 } }
        var lineById: [String: Int] = [:]
        var lineByEmail: [String: Int] = [:]
        lineById.reserveCapacity(accepted.count)
        lineByEmail.reserveCapacity(accepted.count)
        var kept: [Accepted] = []
        kept.reserveCapacity(accepted.count)
        for var a in accepted {
            let email = a.attendee.email
            let emailKey = email.lowercased()
            if let explicit = a.explicitId {
                a.attendee.id = explicit
            } else if let order = a.orderId {
                if orderCount[order, default: 0] > 1 {
                    // One buyer's address on several tickets of one order (no attendee emails asked):
                    // different people, so the second gets "-2", the third "-3", in file order.
                    let base = "\(order)-\(RosterImporter.derivedId(lowercasedEmail: emailKey).prefix(6))"
                    var candidate = base
                    var n = 1
                    while lineById[candidate] != nil { n += 1; candidate = "\(base)-\(n)" }
                    a.attendee.id = candidate
                } else {
                    a.attendee.id = order
                }
            } else {
                a.attendee.id = RosterImporter.derivedId(lowercasedEmail: emailKey)
            }
            if let firstLine = lineById[a.attendee.id] {
                let why = a.explicitId == nil && a.orderId == nil ? "same email as line \(firstLine)" : "same id \"\(a.attendee.id)\" as line \(firstLine)"
                rejected.append(ImportIssue(line: a.line, message: "duplicate: \(why); the first one is imported"))
                continue
            }
            if let firstLine = lineByEmail[emailKey] {
                warnings.append(ImportIssue(line: a.line, message:
                    "duplicate email \(email) (also on line \(firstLine)); both are imported as separate attendees and each gets a pass"))
            } else {
                lineByEmail[emailKey] = a.line
            }
            lineById[a.attendee.id] = a.line
            kept.append(a)
        }
        accepted = kept
        rejected.sort { ($0.line ?? 0) < ($1.line ?? 0) }
    }
}
