/// A key press as the model sees it: no curses codes above the renderer.
public enum Key: Sendable, Hashable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab
    /// Ctrl-C: quit, leaving any run resumable (same as `q`, but also while typing).
    case ctrlC
    /// Ctrl-U: clear the search being typed.
    case ctrlU

    /// Parses a key script as tests and the key table write it: "j", "space", "enter", "esc", "pgdn"…
    public init?(name: String) {
        switch name.lowercased() {
        case "space": self = .char(" ")
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        case "backspace", "bs": self = .backspace
        case "tab": self = .tab
        case "ctrl-c", "c-c": self = .ctrlC
        case "ctrl-u", "c-u": self = .ctrlU
        default:
            guard name.count == 1, let c = name.first else { return nil }
            self = .char(c)
        }
    }

    /// How the key bar and help write this key.
    public var label: String {
        switch self {
        case .char(" "): "space"
        case .char(let c): String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .tab: "Tab"
        case .ctrlC: "Ctrl-C"
        case .ctrlU: "Ctrl-U"
        }
    }
}
