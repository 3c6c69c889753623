import Foundation

/// Text laid out to fit a width: the lines and the font size that make it fit.
struct FittedText {
    var lines: [String]
    var size: Double
    var style: FontStyle
    var lineHeight: Double { size * 1.18 }
    var height: Double { lines.isEmpty ? 0 : Double(lines.count) * lineHeight }
}

extension PDFCanvas {
    /// Shrinks `text` until it fits `width`, wrapping onto a second line when
    /// one line would fall below `minSize`. Never truncates: a single
    /// unbreakable very long name keeps shrinking until it fits.
    ///
    /// Width is linear in font size for Cairo's unhinted PDF metrics, so one
    /// measurement per candidate line is enough.
    func fit(_ text: String, style: FontStyle, maxSize: Double, minSize: Double, width: Double, maxLines: Int = 2) -> FittedText {
        let text = Self.cairoSafe(text).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard !text.isEmpty else { return FittedText(lines: [], size: maxSize, style: style) }
        let reference = 100.0
        func perPoint(_ s: String) -> Double { max(textWidth(s, style: style, size: reference) / reference, 0.0001) }

        let oneLine = min(maxSize, width / perPoint(text))
        if oneLine >= minSize || maxLines < 2 { return FittedText(lines: [text], size: oneLine, style: style) }

        guard let (first, second) = bestBreak(text, measure: perPoint) else {
            return FittedText(lines: [text], size: oneLine, style: style)
        }
        let twoLines = min(maxSize, width / max(perPoint(first), perPoint(second)))
        return twoLines > oneLine ? FittedText(lines: [first, second], size: twoLines, style: style) : FittedText(lines: [text], size: oneLine, style: style)
    }

    /// The break between words (or, for text without spaces such as CJK names,
    /// between characters) that makes the longer of the two lines shortest.
    private func bestBreak(_ text: String, measure: (String) -> Double) -> (String, String)? {
        let words = text.split(separator: " ").map(String.init)
        var candidates: [(String, String)] = []
        if words.count >= 2 {
            for i in 1..<words.count {
                candidates.append((words[..<i].joined(separator: " "), words[i...].joined(separator: " ")))
            }
        } else if text.unicodeScalars.contains(where: { Self.isWideScript($0) }), text.count >= 2 {
            let chars = Array(text)
            for i in 1..<chars.count { candidates.append((String(chars[..<i]), String(chars[i...]))) }
        }
        return candidates.map { ($0, max(measure($0.0), measure($0.1))) }.min { $0.1 < $1.1 }?.0
    }

    /// Scripts written without spaces between words, where a line may break between any two characters.
    static func isWideScript(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F: true
        default: false
        }
    }
}
