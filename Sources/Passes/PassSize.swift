import Foundation
import Core

/// The page size of a pass, in PDF points (1/72 in), from `[pass] size`.
public struct PassSize: Sendable, Equatable {
    public var width: Double
    public var height: Double
    /// As the organiser wrote it, for messages.
    public var name: String

    public static let pointsPerMillimetre = 72.0 / 25.4
    /// Smallest side that still fits a scannable QR code next to a readable name.
    public static let minimumMillimetres = 50.0
    public static let maximumMillimetres = 1000.0

    public var isLandscape: Bool { width > height * 1.1 }

    /// Parses "A6", "A4", "badge" (4×3 in, landscape) or "WxH mm" such as "100x150 mm".
    ///
    /// Case and spaces do not matter, and "×" works as well as "x".
    public init(parsing text: String) throws {
        let s = text.lowercased().replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "×", with: "x")
        let mm = Self.pointsPerMillimetre
        name = text
        switch s {
        case "a6": (width, height) = (105 * mm, 148 * mm)
        case "a4": (width, height) = (210 * mm, 297 * mm)
        case "badge": (width, height) = (4 * 72, 3 * 72)
        default:
            guard s.hasSuffix("mm") else { throw Self.unknown(text) }
            let dims = s.dropLast(2).split(separator: "x", omittingEmptySubsequences: false)
            guard dims.count == 2, let w = Double(dims[0]), let h = Double(dims[1]), w.isFinite, h.isFinite else {
                throw Self.unknown(text)
            }
            let range = Self.minimumMillimetres...Self.maximumMillimetres
            guard range.contains(w), range.contains(h) else {
                throw PassmailError.config(
                    "pass.size: \"\(text)\": each side must be from \(Int(range.lowerBound)) to \(Int(range.upperBound)) mm "
                    + "so the name and a scannable QR code fit")
            }
            (width, height) = (w * mm, h * mm)
        }
    }

    static func unknown(_ text: String) -> PassmailError {
        .config("pass.size: \"\(text)\" is not a pass size; use \"A6\", \"A4\", \"badge\" (4×3 in) or \"WxH mm\" such as \"100x150 mm\"")
    }
}
