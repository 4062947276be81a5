import Foundation

/// A one-line message in the footer saying what an action did.
struct Flash: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case success, error, info
    }

    var message: String
    var kind: Kind
    /// When it stops showing.
    var expiresAt: Date

    /// How long a flash shows.
    static let lifetime: TimeInterval = 6
}
