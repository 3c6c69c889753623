import Foundation

/// A realistic sample roster for `passmail demo`: about 80 people, five pass
/// types, some names outside ASCII, written as an Eventbrite-style CSV export so
/// the demo goes through the same import path as real data.
enum DemoRoster {
    static let event = WorkspaceTemplate.EventDetails(
        id: "nordic-devdays-2027", name: "Nordic Developer Days 2027", date: "11–12 March 2027",
        venue: "Bella Center, Copenhagen", senderName: "Nordic Developer Days",
        senderEmail: "passes@devdays.example")

    static let people: [(String, String)] = [
        ("Zoë", "Müller"), ("José", "Álvarez"), ("Søren", "Kierkegaard-Nielsen"), ("François", "Dupont"),
        ("Łukasz", "Wiśniewski"), ("Ayşe", "Yılmaz"), ("Björn", "Ólafsson"), ("Chloé", "Lefèvre"),
        ("Αλέξανδρος", "Παπαδόπουλος"), ("Дмитрий", "Иванов"), ("Emma", "Johansson"), ("Liam", "O'Connor"),
        ("Olivia", "Smith"), ("Noah", "Andersen"), ("Ava", "Brown"), ("Lucas", "Martin"), ("Mia", "Schneider"),
        ("Elias", "Virtanen"), ("Sofia", "Rossi"), ("Oskar", "Lindqvist"), ("Freya", "Hansen"), ("Hugo", "Bernard"),
        ("Ingrid", "Berg"), ("Mateo", "García"), ("Nora", "Nilsen"), ("Jonas", "Weber"), ("Astrid", "Eriksson"),
        ("Leon", "Fischer"), ("Ella", "Korhonen"), ("Anton", "Novák"), ("Maja", "Kowalska"), ("Felix", "Wagner"),
        ("Ida", "Pedersen"), ("Emil", "Jensen"), ("Alma", "Larsen"), ("Viktor", "Horváth"), ("Clara", "Dubois"),
        ("Magnus", "Halvorsen"), ("Saga", "Lund"), ("Theo", "Becker"), ("Linnea", "Holm"), ("Arvid", "Sandberg"),
        ("Helga", "Jónsdóttir"), ("Mikkel", "Thomsen"), ("Greta", "Hoffmann"), ("Aleksi", "Mäkinen"),
        ("Siobhán", "Ní Bhriain"), ("Renée", "Lambert"), ("Ólöf", "Sigurðardóttir"), ("Matti", "Nieminen"),
        ("Karin", "Strömberg"), ("Tomás", "Ó Súilleabháin"), ("Priya", "Raman"), ("Kenji", "Watanabe"),
        ("Amara", "Okafor"), ("Fatima", "Haddad"), ("Diego", "Fernández"), ("Hannah", "Schmidt"), ("Yusuf", "Demir"),
        ("Charlotte", "Wilson"), ("Henrik", "Dahl"), ("Elin", "Åberg"), ("Rasmus", "Kristensen"), ("Marta", "Nowak"),
        ("Jakob", "Møller"), ("Laura", "Bianchi"), ("Sven", "Ekström"), ("Nina", "Petrović"), ("Paul", "Lehmann"),
        ("Vera", "Kuznetsova"), ("Tobias", "Graf"), ("Anna-Lena", "Brandt"), ("Erik", "Solberg"), ("Lea", "Vogel"),
        ("Marius", "Popescu"), ("Julia", "Zieliński"), ("Kasper", "Rasmussen"), ("Selma", "Lagerlöf"),
        ("Bo", "Li"), ("Wolfgang Amadeus", "Theophilus-Gottlieb von Hohenberg-Wittelsbach"),
    ]

    static let companies = [
        "Nordlicht Software", "Fjord Analytics", "", "Hyggelig Labs", "Aurora Cloud", "Polar Systems", "",
        "Kvarken Data", "Saga Robotics", "Midnight Sun Games", "Baltic Bytes", "Øresund Ventures", "",
        "Tundra Security", "Viking Networks",
    ]

    static let dietary = ["", "", "", "vegetarian", "vegan", "gluten-free", "", "halal", "", "no nuts"]
    static let shirts = ["S", "M", "L", "XL", "M", "L"]

    static func passType(at i: Int) -> String {
        switch i % 20 {
        case 0, 7: return "Speaker"
        case 3, 11, 17: return "Exhibitor"
        case 5: return "VIP"
        case 13: return "Press"
        default: return "Attendee"
        }
    }

    /// ASCII local part for an email address: "Søren Kierkegaard-Nielsen" → "soren.kierkegaard-nielsen".
    static func localPart(_ first: String, _ last: String) -> String {
        let raw = "\(first).\(last)".applyingTransform(.toLatin, reverse: false) ?? "\(first).\(last)"
        let folded = raw.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .replacingOccurrences(of: "ø", with: "o").replacingOccurrences(of: "ð", with: "d")
            .replacingOccurrences(of: "æ", with: "ae").replacingOccurrences(of: "ł", with: "l")
            .replacingOccurrences(of: "ı", with: "i").replacingOccurrences(of: "þ", with: "th")
        let allowed = folded.lowercased().map { ch -> String in
            if ch.isASCII && (ch.isLetter || ch.isNumber || ch == "." || ch == "-") { return String(ch) }
            return ch == " " ? "-" : ""
        }.joined()
        return allowed.isEmpty ? "guest" : allowed
    }

    static func domain(for company: String) -> String {
        if company.isEmpty { return "mail.example" }
        let slug = localPart(company, "").trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
        return slug.replacingOccurrences(of: ".", with: "") + ".example"
    }

    /// The CSV text (Eventbrite-style headers, CRLF, RFC 4180 quoting).
    static func csv() -> String {
        var rows = [["Attendee #", "First Name", "Last Name", "Email", "Company", "Ticket Type", "Dietary requirements", "T-shirt size"]]
        for (i, person) in people.enumerated() {
            let company = passType(at: i) == "Press" ? "Tech Weekly" : companies[(i * 7) % companies.count]
            let email = "\(localPart(person.0, person.1))@\(domain(for: company))"
            rows.append([String(100_001 + i), person.0, person.1, email, company, passType(at: i),
                         dietary[(i * 3 + i / 7) % dietary.count], shirts[i % shirts.count]])
        }
        return rows.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func csvField(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
