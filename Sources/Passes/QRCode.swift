import Foundation
import Core
import CQREncode

/// A QR code symbol as a square of dark and light modules (no quiet zone).
///
/// Encoded by libqrencode with error correction M and case-sensitive 8-bit
/// data; the payload is ASCII so every scanner reads back the same bytes.
struct QRCode: Sendable {
    /// Modules per side (21 for version 1, +4 per version).
    let size: Int
    /// Row-major; true is dark.
    let modules: [Bool]

    /// libqrencode's Reed–Solomon tables are initialised lazily; one encode at a time keeps that safe everywhere.
    private static let lock = NSLock()

    /// The corresponding C function is `QRcode_encodeString` (level M, mode 8, case-sensitive).
    init(encoding text: String) throws {
        guard text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else {
            throw PassmailError.data("QR payload must be printable ASCII")
        }
        Self.lock.lock()
        let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)
        Self.lock.unlock()
        guard let code else {
            let reason = errno == ERANGE ? "too long for a QR code" : String(cString: strerror(errno))
            throw PassmailError.data("cannot encode the pass token as a QR code (\(reason))")
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        // Bit 0 of each byte is the module colour; the other bits describe the module's role.
        modules = (0..<(width * width)).map { code.pointee.data[$0] & 1 == 1 }
    }

    func isDark(row: Int, column: Int) -> Bool { modules[row * size + column] }
}
