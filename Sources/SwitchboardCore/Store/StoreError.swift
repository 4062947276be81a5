/// Errors a ``Store`` throws for conditions callers handle.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case notFound(String)
        case conflict(String)
        case unavailable(String)
    }

    private let kind: Kind

    /// The named resource does not exist (in the caller's tenant).
    public static func notFound(_ what: String) -> StoreError { StoreError(kind: .notFound(what)) }
    /// The resource already exists.
    public static func conflict(_ what: String) -> StoreError { StoreError(kind: .conflict(what)) }
    /// The database cannot be used: disk full, file unreadable, server down.
    public static func unavailable(_ why: String) -> StoreError { StoreError(kind: .unavailable(why)) }

    public var isNotFound: Bool { if case .notFound = kind { true } else { false } }
    public var isConflict: Bool { if case .conflict = kind { true } else { false } }
    public var isUnavailable: Bool { if case .unavailable = kind { true } else { false } }

    public var description: String {
        switch kind {
        case .notFound(let what): "\(what) not found"
        case .conflict(let what): "\(what) already exists"
        case .unavailable(let why): "store unavailable: \(why)"
        }
    }
}
