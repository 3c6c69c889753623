import Foundation
import Core

/// Which column of an export holds which part of an attendee.
///
/// Real exports name things differently (Eventbrite "Attendee #", pretix
/// "Attendee email" next to the order's "Email", Google Forms "Email Address",
/// Excel "E-mail"), so headers are compared after normalising: case, spaces,
/// punctuation and a BOM ignored, "#" read as "number". Each role has a list of
/// accepted names in order of preference: attendee-level names first, order or
/// buyer level last, since one order can hold several attendees.
public struct HeaderMapping: Sendable, Equatable {
    public var headers: [String]
    public var email: Int
    /// A second email column (e.g. the order's buyer email) used when the attendee's own is empty.
    public var emailFallback: Int?
    public var firstName: Int?
    public var lastName: Int?
    /// A single name column, split by `NameSplitter` (used only without first/last columns).
    public var fullName: Int?
    public var passType: Int?
    public var company: Int?
    /// The column the attendee id comes from.
    public var id: Int?
    /// True when `id` is an order number (not unique per attendee when an order holds several).
    public var idIsOrderLevel: Bool
    /// With an order-level id: the column numbering the tickets within an order (pretix "Position ID"),
    /// which makes order + position an attendee id.
    public var position: Int? = nil
    /// Columns read but not imported: the delivery columns of a passmail report (`passmail export`),
    /// since an import never changes delivery records.
    public var ignored: [Int] = []
    /// A registration status column (Eventbrite "Attendee Status", Luma "approval_status"): rows whose
    /// status says the person is not coming are not imported. The column is also kept as a field.
    public var status: Int? = nil
    /// Every other column, kept as a named field, in file order.
    public var fieldColumns: [(index: Int, name: String)]

    public static func == (a: HeaderMapping, b: HeaderMapping) -> Bool {
        a.headers == b.headers && a.email == b.email && a.emailFallback == b.emailFallback && a.firstName == b.firstName && a.lastName == b.lastName
            && a.fullName == b.fullName && a.passType == b.passType && a.company == b.company && a.id == b.id
            && a.idIsOrderLevel == b.idIsOrderLevel && a.position == b.position && a.ignored == b.ignored && a.status == b.status && a.fieldColumns.map(\.index) == b.fieldColumns.map(\.index)
            && a.fieldColumns.map(\.name) == b.fieldColumns.map(\.name)
    }

    static let emailNames = ["attendeeemail", "teilnehmeremail", "emaildesteilnehmers", "attendeeemailaddress", "participantemail", "ticketholderemail", "guestemail",
                             "ticketemail", "ticketemailaddress", "holderemail", "registrantemail", "delegateemail",
                             "email", "emailaddress", "mail", "emailadresse", "courriel", "correoelectronico", "youremail",
                             "youremailaddress", "workemail", "contactemail",
                             // Other languages: French, Dutch, Nordic, Finnish, Spanish, Italian, Polish, Portuguese.
                             "adresseelectronique", "adressemail", "adresseemail", "emailadres", "epost", "epostadresse",
                             "epostadress", "mailadresse", "sahkoposti", "sahkopostiosoite", "correo", "indirizzoemail",
                             "postaelettronica", "adresemail", "enderecodeemail",
                             "buyeremail", "purchaseremail", "orderemail", "billingemail", "customeremail"]
    static let firstNames = ["attendeefirstname", "attendeenamegivenname", "ticketfirstname", "ticketholderfirstname",
                             "guestfirstname", "registrantfirstname", "firstname", "givenname", "forename", "first",
                             "vorname", "prenom", "nombre", "participantfirstname", "voornaam", "fornavn", "fornamn",
                             "etunimi", "nome", "imie", "primeironome"]
    static let lastNames = ["attendeelastname", "attendeenamefamilyname", "ticketlastname", "ticketholderlastname",
                            "guestlastname", "registrantlastname", "lastname", "surname", "familyname", "last",
                            "nachname", "nom", "apellido", "apellidos", "participantlastname", "nomdefamille", "achternaam",
                            "efternavn", "etternavn", "efternamn", "sukunimi", "cognome", "nazwisko", "sobrenome", "apelido"]
    static let fullNames = ["attendeename", "teilnehmername", "namedesteilnehmers", "attendeefullname", "participantname", "ticketholdername", "guestname",
                            "ticketfullname", "ticketholderfullname", "registrantname", "whatisyourname", "whatsyourname",
                            "yourfullname",
                            "fullname", "name", "yourname", "nomcomplet", "vollstandigername", "naam", "navn", "namn",
                            "nimi", "nombrecompleto", "nomecompleto", "imieinazwisko", "participant", "attendee", "ticketholder", "guest", "contactname"]
    static let passTypes = ["passtype", "tickettype", "ticketname", "tickettier", "ticketcategory", "category",
                            "registrationtype", "registrationcategory", "attendeetype", "participanttype", "admissiontype",
                            "product", "productname", "ticket", "type", "pass", "badgetype",
                            "categorie", "kategorie", "categoria", "produkt", "ticketart", "tickettyp", "typedebillet", "tipodeentrada"]
    static let companies = ["attendeecompany", "attendeecompanyname", "ticketcompany", "ticketcompanyname",
                            "company", "companyname", "organization", "organisation",
                            "organizationname", "organisationname", "org", "employer", "affiliation", "institution",
                            "firma", "unternehmen", "entreprise", "societe", "organisme", "empresa", "bedrijf", "organisatie",
                            "foretag", "virksomhed", "bedrift", "yritys", "organisaatio", "azienda", "organizacja",
                            // What Google Forms and Luma questions ask.
                            "yourcompany", "yourorganization", "yourorganisation", "whatisyourcompany", "whatsyourcompany",
                            "whatisyourorganization", "whatisyourorganisation", "whatsyourorganization", "whatsyourorganisation",
                            "companyorganization", "companyorganisation", "companyororganization", "companyororganisation",
                            "organizationcompany", "organisationcompany"]
    static let attendeeIds = ["attendeenumber", "attendeeid", "ticketid", "ticketnumber", "ticketcode", "registrationid",
                              "registrationnumber", "registrationcode", "participantid", "participantnumber", "badgeid", "badgenumber",
                              "barcode", "barcodenumber", "ticketreference", "id", "uid", "ticketnummer", "teilnehmerid",
                              "teilnehmernummer"]
    static let orderIds = ["ordernumber", "orderid", "ordercode", "order", "ordernr", "bookingreference", "bookingid",
                           "bookingnumber", "bookingcode", "confirmationnumber", "confirmationcode", "orderreference",
                           "bestellnummer", "bestellcode", "buchungsnummer", "numerodecommande"]
    /// Registration status columns, most specific first (pretix's "Status" is the order's).
    static let statusNames = ["attendeestatus", "ticketstatus", "registrationstatus", "approvalstatus", "gueststatus",
                              "rsvpstatus", "rsvp", "attendancestatus", "bookingstatus", "orderstatus", "status",
                              "void", "voided", "isvoid", "voidstatus"]
    /// The ticket's number within its order (pretix "Position ID"): order code + position is unique.
    static let positions = ["positionid", "positionnumber", "orderposition", "orderpositionid", "positionsid", "positionsnummer"]

    /// "Attendee #" → "attendeenumber", "E-mail" → "email", "\u{FEFF}Name" → "name".
    public static func normalize(_ header: String) -> String {
        let folded = SearchText.fold(header.replacingOccurrences(of: "#", with: " number ")
            .replacingOccurrences(of: "&", with: " and "))
        return String(folded.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            .map(Character.init))
    }

    /// Maps a header row, or explains (with the columns the file has) why it cannot.
    public static func map(_ rawHeaders: [String], file: String, line: Int) throws -> HeaderMapping {
        // A header wrapped onto two lines in a spreadsheet cell ("Dietary\nrequirements") names the
        // field "Dietary requirements": runs of white space inside a header become one space.
        var headers = rawHeaders.enumerated().map { i, h -> String in
            let t = h.replacingOccurrences(of: "\u{FEFF}", with: "").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            return t.isEmpty ? "Column \(i + 1)" : t
        }
        // A passmail report (`passmail export`, `list --csv`) read back: its delivery columns are
        // passmail's own record, not attendee data, and `field:NAME` is the field NAME.
        var ignored: [Int] = []
        let fixed = RosterExport.columns
        if headers.count >= fixed.count, Array(headers.prefix(fixed.count)) == fixed {
            ignored = Array(fixed.indices.filter { !["id", "first_name", "last_name", "email", "company", "pass_type"].contains(fixed[$0]) })
            for i in fixed.count..<headers.count where headers[i].hasPrefix("field:") && headers[i].count > 6 {
                headers[i].removeFirst(6)
            }
        }
        let keys = headers.map(normalize)
        var used = Set<Int>(ignored)
        let isReport = !ignored.isEmpty
        /// The first unused column with one of `names`; in a passmail report, the report's own column.
        func find(_ names: [String], report: Int? = nil) -> Int? {
            if isReport {
                if let report { used.insert(report) }
                return report
            }
            for name in names {
                if let i = keys.indices.first(where: { keys[$0] == name && !used.contains($0) }) {
                    used.insert(i)
                    return i
                }
            }
            return nil
        }
        guard let email = find(emailNames, report: 3) else {
            let list = headers.map { "\"\($0)\"" }.joined(separator: ", ")
            throw CSVError(file: file, line: line,
                           reason: "no email column; the header has \(headers.count) column\(headers.count == 1 ? "" : "s"): \(list)"
                               + " (passmail looks for Email, E-mail, Email Address or Attendee email; is the delimiter right? try --delimiter)")
        }
        let emailFallback = find(emailNames)
        var id = find(attendeeIds, report: 0)
        var orderLevel = false
        var position: Int?
        if id == nil, let order = find(orderIds) {
            id = order
            orderLevel = true
            position = find(positions)
        }
        let first = find(firstNames, report: 1)
        let last = find(lastNames, report: 2)
        let full = (first == nil && last == nil) ? find(fullNames) : nil
        let passType = find(passTypes, report: 5)
        let company = find(companies, report: 4)

        var fieldColumns: [(Int, String)] = []
        // A field named like a column already used (pretix's second "Company", the invoice's) is numbered,
        // so {{Company}} can only mean one thing.
        var nameCount: [String: Int] = [:]
        for i in used.sorted() where !ignored.contains(i) { nameCount[headers[i], default: 0] += 1 }
        for (i, h) in headers.enumerated() where !used.contains(i) {
            let n = (nameCount[h] ?? 0) + 1
            nameCount[h] = n
            fieldColumns.append((i, n == 1 ? h : "\(h) (\(n))"))
        }
        let status = isReport ? nil : statusNames.lazy.compactMap { name in keys.indices.first { keys[$0] == name && !used.contains($0) } }.first
        return HeaderMapping(headers: headers, email: email, emailFallback: emailFallback, firstName: first, lastName: last, fullName: full,
                             passType: passType, company: company, id: id, idIsOrderLevel: orderLevel,
                             position: position, ignored: ignored, status: status, fieldColumns: fieldColumns)
    }

    /// Whether a registration status means "no pass": cancelled, refunded, declined, waitlisted...
    /// (Eventbrite "Not Attending", pretix "Canceled"/"Expired", Luma "declined"/"waitlist"/"pending_approval",
    /// a void flag set, an RSVP of "No"). Anything else, including an empty cell, imports the row.
    public func statusMeansNoPass(_ value: String) -> Bool {
        guard let status else { return false }
        let v = value.lowercased().split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" || $0 == "\t" }).joined(separator: " ")
        if v.isEmpty { return false }
        let key = Self.normalize(headers[status])
        if ["void", "voided", "isvoid"].contains(key) { return ["yes", "true", "1", "y", "x", "void", "voided"].contains(v) }
        if key.hasPrefix("rsvp"), ["no", "not going", "declined"].contains(v) { return true }
        return Self.noPassStatuses.contains(v)
    }

    static let noPassStatuses: Set<String> = [
        "cancelled", "canceled", "cancelled by attendee", "canceled by attendee", "cancelled by organizer", "canceled by organizer",
        "refunded", "declined", "rejected", "not attending", "not going", "void", "voided", "deleted", "expired",
        "waitlist", "waitlisted", "waiting list", "on waitlist", "on the waitlist", "on waiting list", "pending approval",
        "storniert", "abgelaufen", "erstattet", "abgelehnt", "warteliste",
        "annulé", "annulée", "annule", "annulee", "remboursé", "remboursée", "rembourse", "expiré", "expirée", "refusé", "refusée",
        "cancelado", "cancelada", "reembolsado", "rechazado", "annullato", "rimborsato", "geannuleerd", "terugbetaald",
    ]

    /// One line per role for the import report: `email ← "Attendee email"`.
    public var summary: [String] {
        func col(_ i: Int?) -> String { i.map { "\"\(headers[$0])\"" } ?? "(none)" }
        var lines = ["email      ← \(col(email))" + (emailFallback.map { ", else \(col($0))" } ?? "")]
        if let fullName {
            lines.append("name       ← \(col(fullName)) (split into first and last name)")
        } else {
            lines.append("first name ← \(col(firstName))")
            lines.append("last name  ← \(col(lastName))")
        }
        lines.append("company    ← \(col(company))")
        lines.append("pass type  ← \(col(passType))")
        if let id, let position {
            lines.append("id         ← \(col(id)) + \(col(position)) (order and position within it)")
        } else if let id {
            lines.append("id         ← \(col(id))" + (idIsOrderLevel ? " (an order number: suffixed where one order holds several attendees)" : ""))
        } else {
            lines.append("id         ← derived from the email address")
        }
        if let status {
            lines.append("status     ← \(col(status)) (cancelled, refunded, declined or waitlisted rows are not imported)")
        }
        if !ignored.isEmpty {
            lines.append("ignored    ← " + ignored.map { col($0) }.joined(separator: ", ")
                         + " (a passmail report's delivery columns: an import never changes delivery records)")
        }
        if !fieldColumns.isEmpty {
            lines.append("fields     ← " + fieldColumns.map { "\"\($0.name)\"" }.joined(separator: ", "))
        }
        return lines
    }
}
