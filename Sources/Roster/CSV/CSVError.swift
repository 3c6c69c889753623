import Foundation
import Core

/// A file that cannot be read as CSV at all: bad encoding, a NUL byte, an unclosed quote.
///
/// Always names the file and the physical line (and the byte offset where that
/// is what the user needs to find the problem in a hex viewer). Nothing is
/// imported from such a file.
public struct CSVError: UserFacingError, Equatable {
    public var file: String
    public var line: Int?
    public var byteOffset: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, byteOffset: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
        self.reason = reason
    }

    public var exitCode: ExitCode { .dataError }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let byteOffset { s += "byte offset \(byteOffset): " }
        return s + reason
    }
}

/// Physical line counting shared by the decoder and the parser: LF, CRLF and a lone CR each end one line.
enum LineCounter {
    /// The 1-based line holding byte `offset`.
    static func line(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
            } else if b == 0x0D {
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1; if i >= end { break } }
                line += 1
            }
            i += 1
        }
        return line
    }
}
