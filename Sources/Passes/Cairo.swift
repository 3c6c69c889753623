import Foundation
import Core
import CCairo

/// A Cairo status other than success, in words.
public struct CairoError: UserFacingError {
    public var message: String
    public var exitCode: ExitCode
    public var description: String { message }

    init(_ what: String, status: cairo_status_t, exitCode: ExitCode = .software) {
        message = "\(what) (cairo: \(String(cString: cairo_status_to_string(status))))"
        self.exitCode = exitCode
    }
}

/// One page of PDF drawn in memory with Cairo.
///
/// Everything above this file talks in points, colours and strings; the
/// surface, context and status codes stay here. One canvas per pass and per
/// thread: Cairo contexts are not shared, the font faces are (Cairo locks them).
final class PDFCanvas {
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let sink: Sink
    let width: Double
    let height: Double

    /// Collects what Cairo writes; its address is the closure of the stream callback.
    private final class Sink { var data = Data() }

    /// The corresponding C function is `cairo_pdf_surface_create_for_stream`.
    init(width: Double, height: Double) throws {
        sink = Sink()
        sink.data.reserveCapacity(48 * 1024)
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        surface = cairo_pdf_surface_create_for_stream(write, Unmanaged.passUnretained(sink).toOpaque(), width, height)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw CairoError("cannot create a PDF surface", status: status)
        }
        cr = cairo_create(surface)
        (self.width, self.height) = (width, height)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// Document title and creator, shown by PDF viewers.
    func setMetadata(title: String) {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, Self.cairoSafe(title))
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "passmail")
    }

    func setColor(_ c: RGB) { cairo_set_source_rgb(cr, c.r, c.g, c.b) }

    func fillRect(x: Double, y: Double, width: Double, height: Double) {
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
    }

    func strokeLine(from a: (Double, Double), to b: (Double, Double), width lineWidth: Double) {
        cairo_set_line_width(cr, lineWidth)
        cairo_move_to(cr, a.0, a.1)
        cairo_line_to(cr, b.0, b.1)
        cairo_stroke(cr)
    }

    // MARK: Text

    /// The horizontal advance of `text` at `size`, across font fallbacks.
    func textWidth(_ text: String, style: FontStyle, size: Double) -> Double {
        runs(text, style: style, size: size).reduce(0) { sum, run in
            selectFont(run.face, size: size)
            var ext = cairo_text_extents_t()
            cairo_text_extents(cr, run.text, &ext)
            return sum + ext.x_advance
        }
    }

    /// Draws `text` with its baseline starting at (x, y). The corresponding C function is `cairo_show_text`.
    func showText(_ text: String, style: FontStyle, size: Double, x: Double, y: Double) {
        cairo_move_to(cr, x, y)
        for run in runs(text, style: style, size: size) {
            selectFont(run.face, size: size)
            cairo_show_text(cr, run.text)  // advances the current point for the next run
        }
    }

    /// Ascent and descent of the primary font at `size`, for line spacing.
    func fontExtents(style: FontStyle, size: Double) -> (ascent: Double, descent: Double) {
        selectFont(FontFaces.shared.primary(style), size: size)
        var ext = cairo_font_extents_t()
        cairo_font_extents(cr, &ext)
        return (ext.ascent, ext.descent)
    }

    private func selectFont(_ face: OpaquePointer, size: Double) {
        cairo_set_font_face(cr, face)
        cairo_set_font_size(cr, size)
    }

    /// Splits `text` into runs that each one font can draw: the primary face
    /// (DejaVu Sans) where it has the glyphs, a fallback face (CJK, symbols)
    /// where it does not; boxes only when no installed face has the character.
    private func runs(_ text: String, style: FontStyle, size: Double) -> [(face: OpaquePointer, text: String)] {
        let text = Self.cairoSafe(text)
        let faces = FontFaces.shared
        let primary = faces.primary(style)
        if covers(primary, text, size: size) { return [(primary, text)] }
        var result: [(face: OpaquePointer, text: String)] = []
        for ch in text {
            let s = String(ch)
            let face = ([primary] + faces.fallbacks).first { covers($0, s, size: size) } ?? primary
            if let last = result.last, last.face == face {
                result[result.count - 1].text += s
            } else {
                result.append((face, s))
            }
        }
        return result
    }

    /// Text Cairo can take whole.
    ///
    /// Cairo rejects a string holding a Unicode noncharacter such as U+FFFF
    /// ("input string not valid UTF-8") and stops at a NUL, and spreadsheets
    /// produce both; noncharacters become U+FFFD and control characters a
    /// space, so the rest of the name still prints.
    static func cairoSafe(_ text: String) -> String {
        func bad(_ s: Unicode.Scalar) -> Bool { s.properties.isNoncharacterCodePoint || s.properties.generalCategory == .control }
        guard text.unicodeScalars.contains(where: bad) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.isNoncharacterCodePoint ? "\u{FFFD}" : ($0.properties.generalCategory == .control ? " " : $0)
        }))
    }

    /// True when `face` has a real glyph (not .notdef, index 0) for every character of `text`.
    private func covers(_ face: OpaquePointer, _ text: String, size: Double) -> Bool {
        selectFont(face, size: size)
        guard let scaled = cairo_get_scaled_font(cr) else { return false }
        var glyphs: UnsafeMutablePointer<cairo_glyph_t>?
        var count: Int32 = 0
        let status = cairo_scaled_font_text_to_glyphs(scaled, 0, 0, text, -1, &glyphs, &count, nil, nil, nil)
        defer { if let glyphs { cairo_glyph_free(glyphs) } }
        guard status == CAIRO_STATUS_SUCCESS, let glyphs else { return false }
        for i in 0..<Int(count) where glyphs[i].index == 0 { return false }
        return true
    }

    // MARK: Images

    /// Paints a PNG scaled into the box, keeping its aspect ratio, centred.
    func drawImage(_ image: PNGImage, x: Double, y: Double, width: Double, height: Double) {
        guard let img = image.makeSurface() else { return }
        defer { cairo_surface_destroy(img) }
        let scale = min(width / Double(image.pixelWidth), height / Double(image.pixelHeight))
        let (w, h) = (Double(image.pixelWidth) * scale, Double(image.pixelHeight) * scale)
        cairo_save(cr)
        cairo_translate(cr, x + (width - w) / 2, y + (height - h) / 2)
        cairo_scale(cr, scale, scale)
        cairo_set_source_surface(cr, img, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    /// Ends the page and returns the PDF bytes. The corresponding C function is `cairo_surface_finish`.
    func finish() throws -> Data {
        cairo_show_page(cr)
        let ctxStatus = cairo_status(cr)
        guard ctxStatus == CAIRO_STATUS_SUCCESS else { throw CairoError("cannot draw the pass", status: ctxStatus) }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw CairoError("cannot write the pass PDF", status: status) }
        return sink.data
    }
}

enum FontStyle { case regular, bold }

/// Font faces shared by every canvas: created once, immutable, reference-counted by Cairo.
final class FontFaces: @unchecked Sendable {
    static let shared = FontFaces()

    let regular: OpaquePointer
    let bold: OpaquePointer
    /// Tried in order for characters DejaVu lacks; fontconfig substitutes what is installed.
    /// Colour emoji fonts are left out: their bitmap glyphs would bloat every PDF.
    let fallbacks: [OpaquePointer]

    private init() {
        func face(_ family: String, _ weight: cairo_font_weight_t = CAIRO_FONT_WEIGHT_NORMAL) -> OpaquePointer {
            cairo_toy_font_face_create(family, CAIRO_FONT_SLANT_NORMAL, weight)
        }
        regular = face("DejaVu Sans")
        bold = face("DejaVu Sans", CAIRO_FONT_WEIGHT_BOLD)
        fallbacks = ["Noto Sans CJK SC", "Droid Sans Fallback", "WenQuanYi Zen Hei", "Noto Sans", "Noto Sans Symbols2",
                     "Symbola"].map { face($0) }
    }

    func primary(_ style: FontStyle) -> OpaquePointer {
        switch style {
        case .regular: regular
        case .bold: bold
        }
    }
}

/// A PNG decoded once (the logo), drawn into every pass from its read-only pixels.
///
/// Each draw wraps the shared pixels in a fresh image surface, so passes
/// rendered on several threads never share a Cairo object that Cairo might
/// annotate (PDF surfaces attach snapshots to their sources).
final class PNGImage: @unchecked Sendable {
    let pixelWidth: Int
    let pixelHeight: Int
    private let stride: Int
    private let pixels: UnsafeMutableRawPointer
    static let maximumPixels = 600.0

    /// The corresponding C function is `cairo_image_surface_create_from_png`; `key` names the setting in errors.
    init(contentsOf url: URL, key: String) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw PassmailError.noInput("\(key): \(url.path): logo file not found")
        }
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw PassmailError.noInput("\(key): \(url.path): logo file is not readable (check its permissions)")
        }
        let surface = cairo_image_surface_create_from_png(url.path)
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            let why = status == CAIRO_STATUS_READ_ERROR ? "not a PNG image or a damaged one" : String(cString: cairo_status_to_string(status))
            throw PassmailError.config("\(key): \(url.path): cannot use the logo (\(why)); the logo must be a PNG file")
        }
        cairo_surface_flush(surface)
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        guard width > 0, height > 0, cairo_image_surface_get_format(surface) != CAIRO_FORMAT_INVALID else {
            throw PassmailError.config("\(key): \(url.path): the logo image is empty")
        }
        // A logo straight from the designer may be thousands of pixels wide; it is
        // embedded in every pass, so keep at most what 300 dpi needs at ~2 inches.
        let scale = min(1, Self.maximumPixels / Double(max(width, height)))
        pixelWidth = max(1, Int((Double(width) * scale).rounded()))
        pixelHeight = max(1, Int((Double(height) * scale).rounded()))
        // Keep ARGB32 so every draw uses one known format.
        let copy = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(pixelWidth), Int32(pixelHeight))
        defer { cairo_surface_destroy(copy) }
        let cr = cairo_create(copy)
        cairo_scale(cr, Double(pixelWidth) / Double(width), Double(pixelHeight) / Double(height))
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BEST)
        cairo_paint(cr)
        cairo_destroy(cr)
        cairo_surface_flush(copy)
        stride = Int(cairo_image_surface_get_stride(copy))
        pixels = UnsafeMutableRawPointer.allocate(byteCount: stride * pixelHeight, alignment: 16)
        pixels.copyMemory(from: cairo_image_surface_get_data(copy), byteCount: stride * pixelHeight)
    }

    deinit { pixels.deallocate() }

    /// A new surface over the shared pixels; Cairo only reads them.
    fileprivate func makeSurface() -> OpaquePointer? {
        let s = cairo_image_surface_create_for_data(pixels.assumingMemoryBound(to: UInt8.self), CAIRO_FORMAT_ARGB32,
                                                    Int32(pixelWidth), Int32(pixelHeight), Int32(stride))
        guard let s, cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else { return nil }
        return s
    }
}
