import Foundation
import Hummingbird
import SwitchboardCore

/// A JSON request body read field by field, with errors naming the field.
struct RequestBody {
    let fields: [String: JSONValue]

    /// Reads and parses the body: 413 past `limit` bytes, 400 when it is not a JSON object.
    /// An empty body counts as `{}` when `allowEmpty`.
    static func read(_ request: Request, limit: Int, allowEmpty: Bool = false) async throws -> (RequestBody, Data) {
        let buffer = try await request.body.collect(upTo: limit)
        let data = Data(buffer.readableBytesView)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }), allowEmpty {
            return (RequestBody(fields: [:]), data)
        }
        guard let value = JSONValue.parse(data) else {
            throw APIError(status: .badRequest, code: "invalid_json", message: "the request body is not valid JSON")
        }
        guard case .object(let fields) = value else {
            throw APIError(status: .badRequest, code: "invalid_json", message: "the request body must be a JSON object")
        }
        return (RequestBody(fields: fields), data)
    }

    func has(_ key: String) -> Bool { fields[key] != nil && fields[key] != .null }

    func string(_ key: String, required: Bool = false) throws -> String? {
        switch fields[key] {
        case .none, .null?:
            if required { throw APIError.invalid(key, "is required") }
            return nil
        case .string(let value)?: return value
        case let other?: throw APIError.invalid(key, "must be a string, not \(other.typeName)")
        }
    }

    func int(_ key: String) throws -> Int? {
        switch fields[key] {
        case .none, .null?: return nil
        case .integer(let value)?: return Int(exactly: value) ?? Int.max
        case .number(let value)? where value.rounded() == value && abs(value) < 1e15: return Int(value)
        case let other?: throw APIError.invalid(key, "must be an integer, not \(other.typeName)")
        }
    }

    func strings(_ key: String) throws -> [String]? {
        switch fields[key] {
        case .none, .null?: return nil
        case .array(let items)?:
            return try items.map {
                guard case .string(let value) = $0 else { throw APIError.invalid(key, "must be an array of strings") }
                return value
            }
        case let other?: throw APIError.invalid(key, "must be an array of strings, not \(other.typeName)")
        }
    }

    func stringMap(_ key: String) throws -> [String: String]? {
        switch fields[key] {
        case .none, .null?: return nil
        case .object(let entries)?:
            return try entries.mapValues {
                guard case .string(let value) = $0 else { throw APIError.invalid(key, "must be an object of string values") }
                return value
            }
        case let other?: throw APIError.invalid(key, "must be an object, not \(other.typeName)")
        }
    }

    func date(_ key: String, required: Bool = false) throws -> Date? {
        guard let text = try string(key, required: required) else { return nil }
        guard let date = Timestamp.parse(text) else { throw APIError.invalid(key, "must be an RFC 3339 timestamp such as 2026-11-23T10:00:00Z") }
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
    /// An integer query parameter within `range`, or `fallback` when absent; 422 otherwise.
    func queryInt(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalid(name, "must be an integer between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }
}
