import Foundation

/// Guesses the delimiter of a CSV file among `,` `;` tab and `|`.
///
/// Excel writes `;` where the decimal separator is a comma, Google Sheets
/// exports tab-separated text, and some ticketing systems use `|`. The guess
/// parses the first records with each candidate (quote-aware, so commas inside
/// quoted names do not count) and keeps the one that splits the header into
/// the most columns while giving the following rows the same count.
public enum DelimiterSniffer {
    public static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]

    public static func sniff(_ utf8: [UInt8], sampleRecords: Int = 50) -> UInt8 {
        var best: (delimiter: UInt8, score: Double) = (candidates[0], -1)
        for d in candidates {
            guard let records = try? CSVParser.parse(utf8, delimiter: d, file: "", maxRecords: sampleRecords) else { continue }
            let rows = records.filter { !$0.isBlank }
            guard let header = rows.first, header.fields.count > 1 else { continue }
            let width = header.fields.count
            let rest = rows.dropFirst()
            let consistent = rest.isEmpty ? 1.0 : Double(rest.filter { $0.fields.count == width }.count) / Double(rest.count)
            // Consistency dominates; among equally consistent candidates, more columns wins.
            let score = consistent * 1000 + Double(min(width, 999))
            if score > best.score { best = (d, score) }
        }
        return best.delimiter
    }

    /// How a delimiter is shown to people: `","`, `tab`.
    public static func name(_ d: UInt8) -> String {
        d == 0x09 ? "tab" : "\"\(Character(Unicode.Scalar(d)))\""
    }
}
