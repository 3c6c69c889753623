import Foundation
import Core

/// Everything printed on one pass, already resolved to strings and colours.
struct PassContent {
    var eventName: String
    var eventDate: String
    var venue: String
    var attendeeName: String
    var company: String
    /// As shown in the band, e.g. "VIP"; "Attendee" when the roster has no type.
    var passTypeLabel: String
    var bandColor: RGB
    var humanCode: String
    var token: String
}

/// Draws a pass onto a PDF page: header, name, company, QR code and code, type band.
///
/// Portrait pages (A6, A4, most custom sizes) stack everything centred;
/// landscape pages (the 4×3 in badge) put the text left and the QR code right.
/// All measures are fractions of the page, so every size looks alike.
struct PassRenderer {
    let size: PassSize
    let logo: PNGImage?

    /// The smallest QR module a phone camera reads reliably from print.
    static let minimumModulePoints = 1.0
    /// ISO/IEC 18004 asks for a light margin of four modules around the symbol.
    static let quietZoneModules = 4

    func render(_ content: PassContent) throws -> Data {
        let qr = try QRCode(encoding: content.token)
        let canvas = try PDFCanvas(width: size.width, height: size.height)
        canvas.setMetadata(title: "Pass – \(content.attendeeName) – \(content.eventName)")
        let (w, h) = (size.width, size.height)
        let margin = min(w, h) * 0.07
        let bandHeight = h * (size.isLandscape ? 0.14 : 0.11)

        // Type band along the bottom, plus a thin strip of the same colour on top.
        canvas.setColor(content.bandColor)
        canvas.fillRect(x: 0, y: h - bandHeight, width: w, height: bandHeight)
        canvas.fillRect(x: 0, y: 0, width: w, height: min(w, h) * 0.015)
        canvas.setColor(content.bandColor.readableText)
        let label = canvas.fit(content.passTypeLabel.uppercased(), style: .bold, maxSize: bandHeight * 0.5,
                               minSize: bandHeight * 0.5, width: w - 2 * margin, maxLines: 1)
        drawLines(label, on: canvas, centredIn: 0, width: w, top: h - bandHeight + (bandHeight - label.height) / 2)

        let unit = min(w, h * 0.75)
        let codeSize = unit * 0.045
        let qrModules = Double(qr.size + 2 * Self.quietZoneModules)
        let textWidth: Double, textLeft: Double, qrSide: Double, qrLeft: Double, qrTop: Double
        if size.isLandscape {
            qrSide = min(w * 0.42, h - bandHeight - 2 * margin - codeSize * 1.6 + margin * 0.5)
            qrLeft = w - margin * 0.5 - qrSide
            qrTop = margin * 0.5
            textLeft = margin
            textWidth = qrLeft - margin * 0.5 - textLeft
        } else {
            textLeft = margin
            textWidth = w - 2 * margin
            qrSide = 0; qrLeft = 0; qrTop = 0  // placed after the text below
        }

        // Header: logo, event name, date and venue.
        var y = margin
        var headerLeft = textLeft
        var headerWidth = textWidth
        let logoSide = min(h * 0.1, textWidth * 0.28)
        if let logo {
            canvas.drawImage(logo, x: textLeft, y: y, width: logoSide, height: logoSide)
            headerLeft += logoSide + margin * 0.5
            headerWidth -= logoSide + margin * 0.5
        }
        canvas.setColor(.black)
        let eventName = canvas.fit(content.eventName, style: .bold, maxSize: unit * 0.06, minSize: unit * 0.045, width: headerWidth)
        var headerBottom = drawLines(eventName, on: canvas, left: headerLeft, width: headerWidth, top: y, centred: false)
        let details = [content.eventDate, content.venue].map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !details.isEmpty {
            canvas.setColor(RGB(r: 0.3, g: 0.3, b: 0.3))
            let fitted = canvas.fit(details.joined(separator: " · "), style: .regular, maxSize: unit * 0.04,
                                    minSize: unit * 0.032, width: headerWidth)
            headerBottom = drawLines(fitted, on: canvas, left: headerLeft, width: headerWidth, top: headerBottom + unit * 0.005,
                                     centred: false)
        }
        y = max(headerBottom, logo == nil ? 0 : y + logoSide) + unit * 0.03
        canvas.setColor(RGB(r: 0.8, g: 0.8, b: 0.8))
        canvas.strokeLine(from: (textLeft, y), to: (textLeft + textWidth, y), width: 0.6)
        y += unit * 0.05

        // The attendee: name large, company below.
        canvas.setColor(.black)
        let centred = !size.isLandscape
        let name = canvas.fit(content.attendeeName, style: .bold, maxSize: unit * 0.1, minSize: unit * 0.065, width: textWidth)
        y = drawLines(name, on: canvas, left: textLeft, width: textWidth, top: y, centred: centred)
        let company = content.company.trimmingCharacters(in: .whitespacesAndNewlines)
        if !company.isEmpty {
            canvas.setColor(RGB(r: 0.25, g: 0.25, b: 0.25))
            // Never larger than the name: a long name shrunk onto two lines still leads.
            let size = min(unit * 0.055, name.size * 0.8)
            let fitted = canvas.fit(company, style: .regular, maxSize: size, minSize: min(unit * 0.035, size), width: textWidth)
            y = drawLines(fitted, on: canvas, left: textLeft, width: textWidth, top: y + unit * 0.01, centred: centred)
        }

        // QR code with its quiet zone, and the human code under it.
        var side = qrSide, left = qrLeft, top = qrTop
        if !size.isLandscape {
            let available = h - bandHeight - margin * 0.6 - codeSize * 1.5 - (y + unit * 0.03)
            side = min(w * 0.62, available)
            left = (w - side) / 2
            top = y + unit * 0.03 + max(0, (available - side) / 2)
        }
        let module = side / qrModules
        guard module >= Self.minimumModulePoints else {
            throw PassmailError.config(
                "pass.size: \"\(size.name)\" leaves room for QR modules of only \(String(format: "%.2f", module)) pt "
                + "(at least \(Self.minimumModulePoints) pt are needed to scan reliably) with this attendee's token; choose a larger size")
        }
        canvas.setColor(.white)
        canvas.fillRect(x: left, y: top, width: side, height: side)
        canvas.setColor(.black)
        drawModules(qr, on: canvas, left: left + Double(Self.quietZoneModules) * module,
                    top: top + Double(Self.quietZoneModules) * module, module: module)
        let code = FittedText(lines: [content.humanCode], size: codeSize, style: .bold)
        canvas.setColor(RGB(r: 0.1, g: 0.1, b: 0.1))
        let codeTop = top + side - Double(Self.quietZoneModules) * module * 0.5
        drawLines(code, on: canvas, centredIn: left, width: side, top: codeTop)
        return try canvas.finish()
    }

    /// Paints dark modules as few, separately filled rectangles.
    ///
    /// Horizontal runs of dark modules that repeat on the following rows
    /// become one tall rectangle, and each is filled on its own so Cairo
    /// writes the compact PDF `x y w h re f` instead of an eight-number
    /// subpath: the QR code was most of the page's bytes and render time.
    /// Whole modules share edges exactly, so no viewer shows seams.
    private func drawModules(_ qr: QRCode, on canvas: PDFCanvas, left: Double, top: Double, module: Double) {
        var open: [Run: Int] = [:]  // run -> first row
        func close(_ run: Run, from first: Int, to end: Int) {
            canvas.fillRect(x: left + Double(run.start) * module, y: top + Double(first) * module,
                           width: Double(run.end - run.start) * module, height: Double(end - first) * module)
        }
        for row in 0...qr.size {
            var current = Set<Run>()
            var column = 0
            while row < qr.size, column < qr.size {
                guard qr.isDark(row: row, column: column) else { column += 1; continue }
                let start = column
                while column < qr.size, qr.isDark(row: row, column: column) { column += 1 }
                current.insert(Run(start: start, end: column))
            }
            for (run, first) in open where !current.contains(run) {
                close(run, from: first, to: row)
                open[run] = nil
            }
            for run in current where open[run] == nil { open[run] = row }
        }
    }

    private struct Run: Hashable { var start: Int, end: Int }

    /// Draws fitted lines from `top`; returns the y below the last line.
    @discardableResult
    private func drawLines(_ text: FittedText, on canvas: PDFCanvas, left: Double, width: Double, top: Double,
                           centred: Bool) -> Double {
        let style = text.style
        let (ascent, _) = canvas.fontExtents(style: style, size: text.size)
        var y = top
        for line in text.lines {
            let lineWidth = canvas.textWidth(line, style: style, size: text.size)
            let x = centred ? left + (width - lineWidth) / 2 : left
            canvas.showText(line, style: style, size: text.size, x: x, y: y + min(ascent, text.lineHeight * 0.85))
            y += text.lineHeight
        }
        return y
    }

    @discardableResult
    private func drawLines(_ text: FittedText, on canvas: PDFCanvas, centredIn left: Double, width: Double, top: Double) -> Double {
        drawLines(text, on: canvas, left: left, width: width, top: top, centred: true)
    }
}
