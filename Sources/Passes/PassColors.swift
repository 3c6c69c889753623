import Foundation

/// An sRGB colour with components from 0 to 1.
public struct RGB: Sendable, Equatable {
    public var r: Double, g: Double, b: Double
    public init(r: Double, g: Double, b: Double) { (self.r, self.g, self.b) = (r, g, b) }

    /// From "#rrggbb"; nil for anything else.
    public init?(hex: String) {
        guard hex.count == 7, hex.first == "#", let v = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        self.init(r: Double(v >> 16 & 0xff) / 255, g: Double(v >> 8 & 0xff) / 255, b: Double(v & 0xff) / 255)
    }

    public static let black = RGB(r: 0, g: 0, b: 0)
    public static let white = RGB(r: 1, g: 1, b: 1)

    /// WCAG 2 relative luminance.
    var luminance: Double {
        func lin(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    /// WCAG 2 contrast ratio between two colours (1…21).
    func contrast(with other: RGB) -> Double {
        let (a, b) = (luminance, other.luminance)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// Black or white, whichever reads better on this colour.
    public var readableText: RGB { contrast(with: .black) >= contrast(with: .white) ? .black : .white }
}

/// The band colour of each pass type: `[pass.colors]` first, then a default palette.
///
/// Types the organiser did not colour get a fixed colour per name (a stable
/// hash into the palette), so "Speaker" is the same colour on every pass and
/// in every run. Names match case-insensitively.
public struct PassPalette: Sendable {
    private let configured: [String: RGB]

    /// Well-known types get conventional colours; the rest draw from `palette`.
    static let wellKnown: [String: RGB] = [
        "vip": RGB(hex: "#b8860b")!, "speaker": RGB(hex: "#6a1b9a")!, "staff": RGB(hex: "#c62828")!,
        "crew": RGB(hex: "#c62828")!, "press": RGB(hex: "#37474f")!, "media": RGB(hex: "#37474f")!,
        "sponsor": RGB(hex: "#00838f")!, "exhibitor": RGB(hex: "#ef6c00")!, "volunteer": RGB(hex: "#2e7d32")!,
        "student": RGB(hex: "#0277bd")!, "attendee": RGB(hex: "#1565c0")!, "general": RGB(hex: "#1565c0")!,
    ]
    static let palette: [RGB] = ["#1565c0", "#2e7d32", "#6a1b9a", "#c62828", "#ef6c00", "#00838f", "#ad1457",
                                 "#4e342e", "#283593", "#558b2f"].map { RGB(hex: $0)! }

    /// `colors` is `[pass.colors]`, already validated as "#rrggbb" by the config loader.
    public init(colors: [String: String]) {
        var c: [String: RGB] = [:]
        for (type, hex) in colors { if let rgb = RGB(hex: hex) { c[type.lowercased()] = rgb } }
        configured = c
    }

    public func color(for passType: String) -> RGB {
        let key = passType.trimmingCharacters(in: .whitespaces).lowercased()
        if let c = configured[key] ?? Self.wellKnown[key.isEmpty ? "attendee" : key] { return c }
        var hash: UInt32 = 2_166_136_261  // FNV-1a: stable across runs, unlike Hasher.
        for b in key.utf8 { hash = (hash ^ UInt32(b)) &* 16_777_619 }
        return Self.palette[Int(hash % UInt32(Self.palette.count))]
    }
}
