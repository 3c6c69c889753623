/// What one screen looks like: text lines exactly `width` columns wide, plus style spans.
///
/// Produced by the pure `view`, painted by `CursesScreen`, compared with text
/// snapshots in tests (ratatui's in-memory buffer idea).
public struct Frame: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var lines: [String]
    /// Per line, the styled column ranges (display columns, not string indices).
    public var spans: [[StyleSpan]]

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        lines = Array(repeating: String(repeating: " ", count: max(0, width)), count: max(0, height))
        spans = Array(repeating: [], count: max(0, height))
    }

    /// Sets line `row` from styled pieces, padded or cut to the frame width.
    public mutating func set(_ row: Int, _ line: StyledLine) {
        guard row >= 0 && row < height else { return }
        let fitted = line.fitted(to: width)
        lines[row] = fitted.text
        spans[row] = fitted.spans
    }

    public mutating func set(_ row: Int, _ text: String, _ style: Style = .normal) {
        set(row, StyledLine(text, style))
    }

    /// The text with trailing spaces removed, one string: what snapshots store.
    public var text: String {
        lines.map { line in
            var s = Substring(line)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }.joined(separator: "\n")
    }

    /// The style at a column of a line (for tests: "the failure row is red").
    public func style(atRow row: Int, column: Int) -> Style {
        spans[row].last(where: { column >= $0.start && column < $0.start + $0.width })?.style ?? .normal
    }
}

/// A styled column range of one line.
public struct StyleSpan: Sendable, Equatable {
    public var start: Int
    public var width: Int
    public var style: Style
}

/// Semantic styles; the renderer maps them to colours or, without colour, to bold/reverse.
public enum Style: Sendable, Equatable, Hashable {
    case normal
    case title
    case header
    case cursor
    case selected
    case dim
    case ok
    case error
    case warning
    case key
    case bar
    case input
    case banner
}

/// A line built from styled pieces, laid out by display width.
public struct StyledLine: Sendable, Equatable {
    public private(set) var text = ""
    public private(set) var spans: [StyleSpan] = []
    public private(set) var width = 0
    /// Style for the whole line (e.g. the cursor row); pieces with their own style draw above it.
    public var lineStyle: Style?

    public init() {}
    public init(_ text: String, _ style: Style = .normal) { append(text, style) }

    public mutating func append(_ piece: String, _ style: Style = .normal) {
        let w = piece.displayWidth
        if style != .normal && w > 0 { spans.append(StyleSpan(start: width, width: w, style: style)) }
        text += piece
        width += w
    }

    /// Appends `piece` cut or padded to exactly `columns` columns.
    public mutating func append(_ piece: String, columns: Int, _ style: Style = .normal, alignRight: Bool = false) {
        append(piece.padded(toWidth: columns, alignRight: alignRight), style)
    }

    /// Pads with spaces up to column `column`.
    public mutating func pad(to column: Int) {
        if column > width { append(String(repeating: " ", count: column - width)) }
    }

    func fitted(to columns: Int) -> (text: String, spans: [StyleSpan]) {
        var t = text
        var s = spans
        if width > columns {
            t = text.truncated(toWidth: columns, ellipsis: false)
            s = spans.compactMap { span in
                guard span.start < columns else { return nil }
                var c = span
                c.width = min(span.width, columns - span.start)
                return c
            }
        }
        let w = t.displayWidth
        if w < columns { t += String(repeating: " ", count: columns - w) }
        if let lineStyle { s.insert(StyleSpan(start: 0, width: columns, style: lineStyle), at: 0) }
        return (t, s)
    }
}

extension Frame {
    /// Draws `line` over columns `column..<column+line.width` of `row`, keeping what is left and right of it.
    ///
    /// Used for dialogs and panels drawn above a screen; a wide character cut by
    /// an edge becomes a space so columns stay aligned.
    public mutating func overlay(_ row: Int, column: Int, _ line: StyledLine) {
        guard row >= 0 && row < height, column < width else { return }
        let w = min(line.width, width - column)
        let original = lines[row]
        let left = original.columns(0, column)
        let right = original.columns(column + w, width)
        let fitted = line.fitted(to: w)
        lines[row] = left + fitted.text + right
        var kept: [StyleSpan] = []
        for s in spans[row] {
            // Clip spans around the overlaid region.
            if s.start < column {
                var c = s; c.width = min(s.width, column - s.start); if c.width > 0 { kept.append(c) }
            }
            if s.start + s.width > column + w {
                let start = max(s.start, column + w)
                kept.append(StyleSpan(start: start, width: s.start + s.width - start, style: s.style))
            }
        }
        kept += fitted.spans.map { StyleSpan(start: $0.start + column, width: $0.width, style: $0.style) }
        spans[row] = kept
    }
}

extension String {
    /// The text between two display columns; wide characters cut by an edge become spaces.
    func columns(_ from: Int, _ to: Int) -> String {
        var out = ""
        var col = 0
        for c in self {
            let w = DisplayWidth.of(c)
            let end = col + w
            if col >= from && end <= to {
                out.append(c)
            } else if end > from && col < to {
                out += String(repeating: " ", count: min(end, to) - max(col, from))
            }
            col = end
            if col >= to { break }
        }
        if col < to && to != Int.max { out += String(repeating: " ", count: to - max(col, from)) }
        return out
    }

    /// Splits text into lines of at most `width` columns, breaking at spaces where possible.
    func wrapped(toWidth width: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        for paragraph in self.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var w = String(word)
                var ww = w.displayWidth
                let sep = line.isEmpty ? 0 : 1
                if lineWidth + sep + ww <= width {
                    if sep == 1 { line += " " }
                    line += w; lineWidth += sep + ww
                    continue
                }
                if !line.isEmpty { out.append(line); line = ""; lineWidth = 0 }
                while ww > width {
                    let head = w.truncated(toWidth: width, ellipsis: false)
                    let trimmed = head.trimmingTrailingSpaces
                    out.append(trimmed)
                    w = String(w.dropFirst(trimmed.count)); ww = w.displayWidth
                }
                line = w; lineWidth = ww
            }
            out.append(line)
        }
        return out
    }

    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
