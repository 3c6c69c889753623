import Foundation

/// How many terminal columns text takes (internal: the TUI has its own public `DisplayWidth`): wide East Asian characters and emoji take
/// two, combining marks and zero-width characters none.
///
/// Needed to align tables of names like "Zoë", "李小龍" and "José": counting
/// `Character`s would misalign every row with a CJK name.
enum CellWidth {
    static func of(_ s: String) -> Int {
        s.reduce(0) { $0 + of($1) }
    }

    static func of(_ c: Character) -> Int {
        var width = 0
        for scalar in c.unicodeScalars {
            let w = of(scalar)
            if w > width { width = w }
        }
        return width
    }

    static func of(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || v == 0xFEFF { return 0 }
        if isWide(v) || (s.properties.isEmojiPresentation && v > 0x2000) { return 2 }
        return 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
    }

    /// Cuts `s` to at most `width` columns, ending in "…" when cut.
    static func truncate(_ s: String, to width: Int) -> String {
        guard of(s) > width else { return s }
        var out = ""
        var used = 0
        for c in s {
            let w = of(c)
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }

    /// `s` followed by spaces up to `width` columns.
    static func pad(_ s: String, to width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - of(s)))
    }
}
