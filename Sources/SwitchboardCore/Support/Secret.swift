import Foundation

/// A secret value whose textual description never reveals it.
///
/// Interpolating a `Secret` into a log line or an error message prints
/// `whsec_…redacted`; only ``reveal()`` gives the value, so every place that
/// exposes a secret is easy to find.
public struct Secret: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The secret itself. Call only where the secret must leave the process.
    public func reveal() -> String { value }

    public var description: String {
        if let underscore = value.firstIndex(of: "_"), value.distance(from: value.startIndex, to: underscore) <= 8 {
            return "\(value[...underscore])…redacted"
        }
        return "…redacted"
    }

    public var debugDescription: String { description }

    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
