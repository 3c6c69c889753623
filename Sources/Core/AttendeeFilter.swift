/// Which attendees a command or screen means: one query shape for the CLI and the TUI.
///
/// All parts combine with AND; an empty part does not restrict.
public struct AttendeeFilter: Sendable, Equatable {
    /// Keep only these pass types (case-insensitive); empty keeps all.
    public var includeTypes: [String]
    /// Leave these pass types out (case-insensitive) — "everyone but Exhibitor".
    public var excludeTypes: [String]
    /// nil means any status.
    public var status: DeliveryStatus?
    /// Free text over name, email and company, case- and accent-insensitive.
    public var search: String
    /// An explicit id list; nil means no restriction.
    public var ids: [String]?

    public init(includeTypes: [String] = [], excludeTypes: [String] = [], status: DeliveryStatus? = nil,
                search: String = "", ids: [String]? = nil) {
        self.includeTypes = includeTypes
        self.excludeTypes = excludeTypes
        self.status = status
        self.search = search
        self.ids = ids
    }

    public static let everyone = AttendeeFilter()

    public var isEmpty: Bool {
        includeTypes.isEmpty && excludeTypes.isEmpty && status == nil && search.isEmpty && ids == nil
    }
}

/// Text folding shared by every search: lowercase, accents removed.
public enum SearchText {
    /// "Zoë Müller" → "zoe muller"; used on both the query and the searched text.
    public static func fold(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.decomposedStringWithCanonicalMappingScalars {
            // Drop combining marks (accents) left after canonical decomposition.
            if (0x0300...0x036F).contains(scalar.value) { continue }
            out.append(scalar)
        }
        return String(out).lowercased()
    }
}

extension String {
    /// Canonical decomposition (NFD) without needing Foundation in callers.
    fileprivate var decomposedStringWithCanonicalMappingScalars: [Unicode.Scalar] {
        Array(self.decomposedNFD.unicodeScalars)
    }
}
