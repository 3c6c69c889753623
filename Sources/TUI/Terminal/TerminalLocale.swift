import Foundation

/// Makes sure curses can write UTF-8 names, also when no locale is configured.
///
/// With LANG unset (containers, `env -i`, some ssh and sudo set-ups) the locale
/// is "C", and ncursesw then drops every non-ASCII character: names like Zoë or
/// 山田 would show as blanks. "No locale" is taken to mean a UTF-8 terminal, as
/// it is nearly everywhere today, and only the character type is switched to
/// C.UTF-8 (messages, numbers and dates stay as they were). An explicitly chosen
/// non-UTF-8 locale (say de_DE.ISO-8859-1) is respected.
enum TerminalLocale {
    /// Returns whether the character type in force afterwards is UTF-8.
    @discardableResult
    static func ensureUTF8() -> Bool {
        if isUTF8 { return true }
        let current = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? "C"
        guard current == "C" || current == "POSIX" else { return false }
        for candidate in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, candidate) != nil {
            if isUTF8 { return true }
        }
        setlocale(LC_CTYPE, current)
        return false
    }

    static var isUTF8: Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased().replacingOccurrences(of: "-", with: "")
        return name == "UTF8"
    }
}
