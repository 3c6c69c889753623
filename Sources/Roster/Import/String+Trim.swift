import Foundation

extension String {
    /// The string without surrounding white space (incl. the no-break space Excel likes).
    ///
    /// Returns `self` untouched in the common case, avoiding Foundation's
    /// `trimmingCharacters`, which bridges through UTF-16: this runs for every
    /// cell of an import.
    var trimmedFast: String {
        guard let f = unicodeScalars.first, let l = unicodeScalars.last else { return self }
        if !f.isBlank && !l.isBlank { return self }
        var scalars = Substring(self).unicodeScalars
        while let c = scalars.first, c.isBlank { scalars.removeFirst() }
        while let c = scalars.last, c.isBlank { scalars.removeLast() }
        return String(scalars)
    }
}

extension Unicode.Scalar {
    var isBlank: Bool {
        value < 0x80 ? (value == 0x20 || (0x09...0x0D).contains(value)) : properties.isWhitespace
    }
}
