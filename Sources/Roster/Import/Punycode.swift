import Foundation

/// Punycode (RFC 3492): the ASCII form of internationalised domain labels.
///
/// Decoding checks that an `xn--` label is well-formed (a broken one can never
/// resolve); encoding turns `münchen` into `mnchen-3ya` so an address at a
/// Unicode domain can be imported in the form every mail server accepts.
enum Punycode {
    static let base = 36, tmin = 1, tmax = 26, skew = 38, damp = 700

    static func adapt(_ delta: Int, _ numPoints: Int, _ firstTime: Bool) -> Int {
        var delta = firstTime ? delta / damp : delta / 2
        delta += delta / numPoints
        var k = 0
        while delta > ((base - tmin) * tmax) / 2 {
            delta /= base - tmin
            k += base
        }
        return k + (base - tmin + 1) * delta / (delta + skew)
    }

    /// The Punycode of a label (without the `xn--` prefix); nil on overflow.
    static func encode(_ label: String) -> String? {
        let input = label.unicodeScalars.map { Int($0.value) }
        var output = String(String.UnicodeScalarView(label.unicodeScalars.filter(\.isASCII)))
        let basicCount = output.unicodeScalars.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = 128, delta = 0, bias = 72
        while handled < input.count {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            let (step, o1) = (m - n).multipliedReportingOverflow(by: handled + 1)
            guard !o1 else { return nil }
            delta += step
            n = m
            for c in input {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tmin : (k >= bias + tmax ? tmax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return output
    }

    static func digit(_ d: Int) -> Character {
        Character(Unicode.Scalar(UInt8(d < 26 ? 97 + d : 22 + d)))
    }

    /// The Unicode text of the part after `xn--`, or nil when it is not valid Punycode.
    static func decode(_ input: Substring) -> String? {
        var n = 128, i = 0, bias = 72
        var firstTime = true
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
            bias = adapt(i - oldi, output.count + 1, firstTime)
            firstTime = false
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
