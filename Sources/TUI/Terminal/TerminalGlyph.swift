/// What the renderer writes for one grapheme cluster, so that curses and the terminal
/// both advance exactly the columns the layout gave it.
///
/// Curses places text by `wcwidth` of each code point; terminals disagree about
/// emoji sequences (tmux shows 👍🏽 in four columns, kitty in two; ❤️ in one or
/// two). A cluster whose code points add up to the layout's width is written as
/// it is; any other is written as its first code point, padded with spaces —
/// 👩‍💻 as 👩, ❤️ as "❤ " — which every terminal shows the same way. Without a
/// UTF-8 locale curses cannot write non-ASCII at all: such a cluster becomes "?".
enum TerminalGlyph {
    static func scalars(for c: Character, width: Int, utf8: Bool = true) -> [Unicode.Scalar] {
        if c.isASCII {
            // Controls (a tab or escape in imported data) would be drawn as ^I by curses.
            return width == 0 ? [] : Array(c.unicodeScalars)
        }
        let all = Array(c.unicodeScalars)
        guard width > 0 else {
            // A lone combining mark: it joins the cell before, as curses does.
            return utf8 ? all.filter { DisplayWidth.scalarWidth($0) == 0 && $0.value >= 0xA0 } : []
        }
        guard utf8 else { return ["?"] + spaces(width - 1) }
        let cursesWidth = all.reduce(0) { $0 + DisplayWidth.scalarWidth($1) }
        if cursesWidth == width { return all }
        let first = all[0]
        let firstWidth = DisplayWidth.scalarWidth(first)
        guard firstWidth > 0 && firstWidth <= width else { return ["?"] + spaces(width - 1) }
        return [first] + spaces(width - firstWidth)
    }

    private static func spaces(_ n: Int) -> [Unicode.Scalar] { Array(repeating: " ", count: max(0, n)) }
}
