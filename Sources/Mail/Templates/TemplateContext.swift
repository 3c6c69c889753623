import Foundation
import Core

/// What a template can say about one attendee: the Mustache context.
///
/// Top-level names are the attendee's columns (`first_name`, `last_name`,
/// `name` = `full_name`, `email`, `company`, `pass_type`, `id`) and every
/// imported column, both by its header as written ("T-shirt size") and by its
/// snake_case form (`t_shirt_size`). `event.id/name/date/venue` come from
/// `[event]`; `pass.code` and `pass.type` from the pass. Built-in names win
/// over imported columns of the same name.
public enum TemplateContext {
    public static let builtInFields = ["id", "first_name", "last_name", "name", "full_name", "email", "company", "pass_type"]

    public static func make(attendee: Attendee, event: PassmailConfig.Event, passCode: String) -> MustacheValue {
        var top: [String: MustacheValue] = [:]
        for field in attendee.fields {
            let snake = SnakeCaseCache.shared.name(for: field.name)
            if !snake.isEmpty, top[snake] == nil { top[snake] = .string(field.value) }
        }
        // Exact headers after snake forms so an exact header wins over a derived name.
        for field in attendee.fields { top[field.name] = .string(field.value) }
        top["id"] = .string(attendee.id)
        top["first_name"] = .string(attendee.firstName)
        top["last_name"] = .string(attendee.lastName)
        top["name"] = .string(attendee.fullName)
        top["full_name"] = .string(attendee.fullName)
        top["email"] = .string(attendee.email)
        top["company"] = .string(attendee.company)
        top["pass_type"] = .string(attendee.passType)
        top["event"] = .object([
            "id": .string(event.id), "name": .string(event.name),
            "date": .string(event.date), "venue": .string(event.venue),
        ])
        top["pass"] = .object(["code": .string(passCode), "type": .string(attendee.passType)])
        return .object(top)
    }

    /// "T-shirt size" → "t_shirt_size", "Société" → "societe": lowercase ASCII letters,
    /// digits and single underscores, so any header can be named in a template.
    public static func snakeCase(_ header: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for scalar in SearchText.fold(header).unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                if pendingUnderscore, !out.isEmpty { out += "_" }
                pendingUnderscore = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingUnderscore = true
            }
        }
        return out
    }

    /// Every name a template may use for this attendee, for "did you mean" hints.
    static func knownNames(in context: MustacheValue) -> [String] {
        guard case .object(let top) = context else { return [] }
        var names: [String] = []
        for (key, value) in top {
            if case .object(let inner) = value {
                names += inner.keys.map { "\(key).\($0)" }
            } else {
                names.append(key)
            }
        }
        return names.sorted()
    }
}

/// Every attendee of an import shares the same headers: fold each header once.
final class SnakeCaseCache: @unchecked Sendable {
    static let shared = SnakeCaseCache()
    private let lock = NSLock()
    private var names: [String: String] = [:]

    func name(for header: String) -> String {
        lock.lock()
        if let n = names[header] { lock.unlock(); return n }
        lock.unlock()
        let n = TemplateContext.snakeCase(header)
        lock.lock()
        if names.count > 10_000 { names.removeAll() }
        names[header] = n
        lock.unlock()
        return n
    }
}
