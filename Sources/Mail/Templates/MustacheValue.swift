import Foundation

/// A value a Mustache template can see: the JSON-like data model of the Mustache spec.
///
/// passmail's own context (attendee columns, `event.*`, `pass.*`) is all strings
/// and objects; numbers, booleans and lists exist so the official spec runs
/// unchanged against the same engine.
public indirect enum MustacheValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case list([MustacheValue])
    case object([String: MustacheValue])

    /// Whether a section `{{#x}}` renders (and `{{^x}}` does not).
    ///
    /// An empty string counts as false, so `{{#company}}…{{/company}}` hides
    /// the block for attendees without a company, as organisers expect.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .list(let l): !l.isEmpty
        case .string(let s): !s.isEmpty
        case .number, .object: true
        }
    }

    /// The text an interpolation tag inserts.
    var interpolated: String {
        switch self {
        case .string(let s): s
        case .number(let d):
            if d.rounded() == d, abs(d) < 1e15 { String(Int64(d)) } else { String(d) }
        case .bool(let b): b ? "true" : "false"
        case .null: ""
        case .list(let l): l.map(\.interpolated).joined(separator: ",")
        case .object: ""
        }
    }

    subscript(key: String) -> MustacheValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// Converts the output of `JSONSerialization` (for the spec tests and JSON data).
    public init(json: Any?) {
        switch json {
        case nil, is NSNull: self = .null
        case let s as String: self = .string(s)
        case let n as NSNumber:
            // JSONSerialization gives booleans as NSNumber too; tell them apart by type.
            if String(cString: n.objCType) == "c" { self = .bool(n.boolValue) } else { self = .number(n.doubleValue) }
        case let a as [Any]: self = .list(a.map { MustacheValue(json: $0) })
        case let d as [String: Any]: self = .object(d.mapValues { MustacheValue(json: $0) })
        default: self = .string("\(json!)")
        }
    }
}
