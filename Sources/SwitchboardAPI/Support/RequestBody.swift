import Foundation
import Hummingbird
import SwitchboardCore

/// A JSON request body read field by field, with errors naming the field.
///
/// Unknown fields are ignored; `null` counts as absent; a present field of the wrong type
/// is a 422 naming the field and the type it must have.
struct RequestBody {
    let fields: [String: JSONValue]
    /// The body as sent.
    var data = Data()

    /// Reads and parses the body: 413 past `limit` bytes (enforced while reading), 415 unless
    /// `Content-Type` is `application/json` (or `…+json`), 400 when it is not a JSON object.
    /// An empty body counts as `{}` when `allowEmpty`, whatever its content type.
    static func read(_ request: Request, limit: Int, allowEmpty: Bool = false) async throws -> RequestBody {
        let buffer = try await request.body.collect(upTo: limit)
        let data = Data(buffer.readableBytesView)
        if allowEmpty, data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return RequestBody(fields: [:])
        }
        guard isJSON(request.headers[.contentType]) else { throw APIError.unsupportedMediaType }
        guard let value = JSONValue.parse(data) else { throw APIError.invalidJSON("the request body is not valid JSON") }
        guard case .object(let fields) = value else { throw APIError.invalidJSON("the request body must be a JSON object") }
        return RequestBody(fields: fields, data: data)
    }

    /// Whether a `Content-Type` names JSON: `application/json` or a `+json` type, any parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map(String.init)?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    /// The bytes of the top-level member `key` exactly as sent (every digit of every number
    /// kept), `nil` when absent; 400 when the body names it twice.
    func rawValue(_ key: String) throws -> Data? {
        let members = RawJSON.members(of: data)
        guard !members.duplicates.contains(key) else { throw APIError.invalidJSON("the request body has more than one \(key) field") }
        return members.ranges[key].map { Data(data[data.startIndex + $0.lowerBound..<data.startIndex + $0.upperBound]) }
    }

    /// The value of `key`, `nil` when absent or `null`.
    func value(_ key: String) -> JSONValue? {
        switch fields[key] {
        case .none, .null?: nil
        case let value?: value
        }
    }

    func string(_ key: String) throws -> String? {
        switch value(key) {
        case nil: return nil
        case .string(let value)?: return value
        case let other?: throw APIError.invalid(key, "must be a string, not \(other.typeName)")
        }
    }

    func requiredString(_ key: String) throws -> String {
        guard let value = try string(key) else { throw APIError.invalid(key, "is required") }
        return value
    }

    func int(_ key: String) throws -> Int? {
        switch value(key) {
        case nil: return nil
        case .integer(let value)?: return Int(exactly: value) ?? Int.max
        case .number(let value)? where value.rounded() == value && abs(value) < 1e15: return Int(value)
        case .number?: throw APIError.invalid(key, "must be an integer between -2^53 and 2^53")
        case let other?: throw APIError.invalid(key, "must be an integer, not \(other.typeName)")
        }
    }

    func strings(_ key: String) throws -> [String]? {
        switch value(key) {
        case nil: return nil
        case .array(let items)?:
            return try items.map {
                guard case .string(let value) = $0 else { throw APIError.invalid(key, "must be an array of strings") }
                return value
            }
        case let other?: throw APIError.invalid(key, "must be an array of strings, not \(other.typeName)")
        }
    }

    func stringMap(_ key: String) throws -> [String: String]? {
        switch value(key) {
        case nil: return nil
        case .object(let entries)?:
            return try entries.mapValues {
                guard case .string(let value) = $0 else { throw APIError.invalid(key, "must be an object of string values") }
                return value
            }
        case let other?: throw APIError.invalid(key, "must be an object, not \(other.typeName)")
        }
    }

    func date(_ key: String) throws -> Date? {
        guard let text = try string(key) else { return nil }
        guard let date = RFC3339.parse(text) else {
            throw APIError.invalid(key, "must be an RFC 3339 timestamp such as 2026-11-23T10:00:00Z")
        }
        return date
    }

    func requiredDate(_ key: String) throws -> Date {
        guard let date = try date(key) else { throw APIError.invalid(key, "is required") }
        return date
    }

    func enumValue<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let raw = try string(key) else { return nil }
        guard let value = T(rawValue: raw) else {
            throw APIError.invalid(key, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension Request {
    /// An integer query parameter within `range`, or `fallback` when absent; 422 naming it otherwise.
    func queryInt(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalid(name, "must be an integer between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }
}
