import Foundation

/// Decodes Punycode (RFC 3492), to check that an `xn--` domain label is well-formed.
///
/// passmail accepts internationalised domains only in their ASCII form; a
/// broken `xn--` label can never resolve, so it is rejected at import.
enum Punycode {
    /// The Unicode text of the part after `xn--`, or nil when it is not valid Punycode.
    static func decode(_ input: Substring) -> String? {
        let base = 36, tmin = 1, tmax = 26, skew = 38, damp = 700
        var n = 128, i = 0, bias = 72
        var output: [Unicode.Scalar] = []
        var rest = Substring(input)
        if let dash = input.lastIndex(of: "-") {
            for c in input[..<dash].unicodeScalars {
                guard c.isASCII else { return nil }
                output.append(c)
            }
            rest = input[input.index(after: dash)...]
        }
        let digits = Array(rest.utf8)
        guard !digits.isEmpty else { return nil }
        var pos = 0
        while pos < digits.count {
            let oldi = i
            var w = 1
            var k = base
            while true {
                guard pos < digits.count else { return nil }
                let c = digits[pos]
                pos += 1
                let digit: Int
                switch c {
                case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = Int(c - UInt8(ascii: "a"))
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = Int(c - UInt8(ascii: "A"))
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(c - UInt8(ascii: "0")) + 26
                default: return nil
                }
                let (m, o1) = digit.multipliedReportingOverflow(by: w)
                let (sum, o2) = i.addingReportingOverflow(m)
                guard !o1, !o2 else { return nil }
                i = sum
                let t = k <= bias ? tmin : (k >= bias + tmax ? tmax : k - bias)
                if digit < t { break }
                let (nw, o3) = w.multipliedReportingOverflow(by: base - t)
                guard !o3 else { return nil }
                w = nw
                k += base
            }
            // Bias adaptation.
            var delta = oldi == 0 ? (i - oldi) / damp : (i - oldi) / 2
            delta += delta / (output.count + 1)
            var kk = 0
            while delta > ((base - tmin) * tmax) / 2 {
                delta /= base - tmin
                kk += base
            }
            bias = kk + (base - tmin + 1) * delta / (delta + skew)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard let scalar = Unicode.Scalar(n), n >= 0x80 else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        var s = ""
        s.unicodeScalars.append(contentsOf: output)
        return s
    }
}
