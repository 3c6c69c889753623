import Foundation
import CNcurses

/// The only code that touches curses: starts and restores the terminal, paints frames, reads keys.
///
/// Confined to the main actor (curses is not thread-safe). Wide-character
/// calls throughout (`wget_wch`, `mvaddnwstr`) so UTF-8 names, CJK and emoji
/// come through as typed and as stored.
@MainActor
final class CursesScreen {
    private(set) var width = 80
    private(set) var height = 24
    private var palette = Palette.monochrome
    private var active = false
    /// Whether curses can write non-ASCII (a UTF-8 locale); without, such text shows as "?".
    private var utf8 = true

    /// Starts curses. The corresponding C calls: `setlocale`, `newterm`, `cbreak`, `noecho`, `keypad`.
    ///
    /// `newterm` rather than `initscr`, which would print "Error opening terminal" and
    /// exit for an unknown TERM; a terminal that cannot move the cursor (TERM=dumb)
    /// would only show garbage. Both are refused with a reason, the terminal untouched.
    func start(useColor: Bool) throws {
        setlocale(LC_ALL, "")
        utf8 = TerminalLocale.ensureUTF8()
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        // Our SIGWINCH handler goes in first, so curses does not install its own.
        SignalFlags.install()
        TerminalRestore.install()
        guard let screen = cn_newterm() else {
            SignalFlags.uninstall()
            throw TerminalUnsupported(term: term, reason: term.isEmpty ? "TERM is not set" : "the terminal type is unknown here (no terminfo entry)")
        }
        if cn_can_move_cursor() != 0 {
            _ = set_term(screen)
        } else {
            endwin()
            delscreen(screen)
            SignalFlags.uninstall()
            throw TerminalUnsupported(term: term, reason: "this terminal type cannot move the cursor")
        }
        TerminalRestore.markActive()
        active = true
        cbreak()
        noecho()
        _ = cn_keypad_on()
        _ = cn_nodelay_on()
        _ = cn_leaveok_on()
        set_escdelay(25)
        curs_set(0)
        if useColor && has_colors() {
            start_color()
            use_default_colors()
            palette = Palette.colored()
        }
        var h: Int32 = 0, w: Int32 = 0
        cn_getmaxyx(cn_stdscr(), &h, &w)
        width = Int(w); height = Int(h)
    }

    /// Restores the terminal (`endwin`). Safe to call twice.
    func stop() {
        guard active else { return }
        active = false
        // Without an alternate screen (vt100, linux console) the last frame would stay
        // under the shell prompt: leave a clean screen instead.
        if cn_has_alternate_screen() == 0 {
            _ = cn_attrset(cn_a_normal())
            _ = clear()
            _ = cn_refresh()
        }
        TerminalRestore.restore()
    }

    /// Re-reads the terminal size after SIGWINCH and tells curses (`resize_term`).
    func refreshSize() -> (width: Int, height: Int) {
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 {
            resize_term(Int32(ws.ws_row), Int32(ws.ws_col))
        }
        var h: Int32 = 0, w: Int32 = 0
        cn_getmaxyx(cn_stdscr(), &h, &w)
        width = Int(w); height = Int(h)
        _ = clear()
        return (width, height)
    }

    /// Paints a frame; curses sends only what changed.
    func draw(_ frame: Frame) {
        for row in 0..<min(frame.height, height) {
            drawLine(row, frame.lines[row], frame.spans[row], maxWidth: width)
        }
        _ = cn_attrset(cn_a_normal())
        _ = cn_refresh()
    }

    private func drawLine(_ row: Int, _ text: String, _ spans: [StyleSpan], maxWidth: Int) {
        // Spans are layered in order: the first covering a column (e.g. the cursor row)
        // is the base, the last (e.g. a red status) is drawn on it.
        func styles(at col: Int) -> (Style, Style?) {
            var first: Style?, last: Style?
            for span in spans where col >= span.start && col < span.start + span.width {
                if first == nil { first = span.style } else { last = span.style }
            }
            return (first ?? .normal, last)
        }
        var col = 0
        var x = 0
        var buffer: [wchar_t] = []
        var bufferAttr: UInt32 = 0
        var bufferStart = 0
        func flush() {
            guard !buffer.isEmpty else { return }
            _ = cn_attrset(bufferAttr)
            buffer.withUnsafeBufferPointer { _ = cn_mvaddnwstr(Int32(row), Int32(bufferStart), $0.baseAddress, Int32($0.count)) }
            buffer.removeAll(keepingCapacity: true)
        }
        for c in text {
            let w = DisplayWidth.of(c)
            if col + w > maxWidth { break }
            // Never let the very last cell of the screen be written (it would scroll on some terminals).
            if row == height - 1 && col + w >= maxWidth { break }
            let (base, piece) = styles(at: col)
            let attr = palette.attr(base: base, piece: piece)
            if attr != bufferAttr || buffer.isEmpty {
                flush()
                bufferAttr = attr
                bufferStart = x
            }
            for s in TerminalGlyph.scalars(for: c, width: w, utf8: utf8) { buffer.append(wchar_t(bitPattern: s.value)) }
            col += w
            x += w
        }
        flush()
        if col < maxWidth {
            let (base, piece) = styles(at: col)
            _ = cn_attrset(palette.attr(base: base, piece: piece))
            _ = cn_move(Int32(row), Int32(col))
            _ = clrtoeol()
        }
    }

    /// Everything waiting in the input queue, as keys (`wget_wch` in no-delay mode).
    func readKeys() -> [Key] {
        var keys: [Key] = []
        var ch: UInt32 = 0
        while true {
            let r = cn_get_wch(&ch)
            if r == cn_err() { break }
            if r == cn_key_code_yes() {
                if let k = Self.functionKey(Int32(bitPattern: ch)) { keys.append(k) }
            } else if let k = Self.characterKey(ch) {
                keys.append(k)
            }
        }
        return keys
    }

    nonisolated static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case cn_key_up(): .up
        case cn_key_down(): .down
        case cn_key_left(): .left
        case cn_key_right(): .right
        case cn_key_npage(): .pageDown
        case cn_key_ppage(): .pageUp
        case cn_key_home(): .home
        case cn_key_end(): .end
        case cn_key_backspace(), cn_key_dc(): .backspace
        case cn_key_enter(): .enter
        default: nil
        }
    }

    nonisolated static func characterKey(_ c: UInt32) -> Key? {
        switch c {
        case 3: return .ctrlC
        case 9: return .tab
        case 10, 13: return .enter
        case 21: return .ctrlU
        case 27: return .escape
        case 8, 127: return .backspace
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(c) else { return nil }
            return .char(Character(scalar))
        }
    }
}

/// Curses cannot drive this terminal: said before anything is drawn.
public struct TerminalUnsupported: Error, CustomStringConvertible {
    public var term: String
    public var reason: String
    public var description: String {
        "the terminal interface cannot run in this terminal (TERM=\(term.isEmpty ? "unset" : term)): \(reason). "
            + "Set TERM to your terminal's type (e.g. TERM=xterm-256color), or use the headless commands: "
            + "`passmail list`, `passmail send`, `passmail resume`, `passmail runs`"
    }
}

/// Colours per style, or attributes only (monochrome terminals, `NO_COLOR`).
struct Palette {
    /// Per style: a colour pair number (0: none) and attributes.
    var entries: [Style: (pair: Int32, attrs: UInt32)]

    func attr(base: Style, piece: Style?) -> UInt32 {
        let b = entries[base] ?? (0, 0)
        guard let piece, piece != base else { return b.attrs | UInt32(bitPattern: cn_color_pair(b.pair)) }
        let p = entries[piece] ?? (0, 0)
        // The piece's colour wins; attributes of both apply (a red status on the reversed cursor row).
        let pair = p.pair != 0 ? p.pair : b.pair
        return b.attrs | p.attrs | UInt32(bitPattern: cn_color_pair(pair))
    }

    static var monochrome: Palette {
        Palette(entries: [
            .normal: (0, 0),
            .title: (0, cn_a_reverse() | cn_a_bold()),
            .header: (0, cn_a_bold() | cn_a_underline()),
            .cursor: (0, cn_a_reverse()),
            .selected: (0, cn_a_bold()),
            .dim: (0, cn_a_dim()),
            .ok: (0, 0),
            .error: (0, cn_a_bold()),
            .warning: (0, cn_a_bold()),
            .key: (0, cn_a_bold()),
            .bar: (0, cn_a_reverse()),
            .input: (0, cn_a_bold() | cn_a_underline()),
            .banner: (0, cn_a_reverse()),
        ])
    }

    /// Pairs on the terminal's default background (-1), so light and dark themes both work.
    @MainActor static func colored() -> Palette {
        let pairs: [(Int16, Int16, Int16)] = [
            (1, cn_color_black(), cn_color_cyan()),   // title
            (2, cn_color_green(), -1),                // ok
            (3, cn_color_red(), -1),                  // error
            (4, cn_color_yellow(), -1),               // warning
            (5, cn_color_cyan(), -1),                 // key
            (6, cn_color_blue(), -1),                 // selected
            (7, cn_color_black(), cn_color_white()),  // bar
            (8, cn_color_white(), cn_color_blue()),   // banner
        ]
        for (n, fg, bg) in pairs { init_pair(n, fg, bg) }
        var p = monochrome
        p.entries[.title] = (1, cn_a_bold())
        p.entries[.ok] = (2, 0)
        p.entries[.error] = (3, cn_a_bold())
        p.entries[.warning] = (4, 0)
        p.entries[.key] = (5, cn_a_bold())
        p.entries[.selected] = (6, cn_a_bold())
        p.entries[.bar] = (7, 0)
        p.entries[.banner] = (8, 0)
        return p
    }
}
