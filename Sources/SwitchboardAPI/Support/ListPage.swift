import Foundation
import Hummingbird

/// One page of a list route: `limit` (1–100, default 50) items after the opaque `cursor`
/// of the previous page, and the cursor of the next page when there is one.
///
/// Lists that the store returns whole (endpoints, sources, API keys, attempts — all bounded
/// by documented caps) are paged here, in a stable order: the cursor is the sort key of the
/// last item returned, so a page never repeats or skips an item when others are added or
/// deleted in between.
struct ListPage<Item> {
    var items: [Item]
    var nextCursor: String?

    /// The page of `all` that `request`'s `limit` and `cursor` ask for, ordered by `key`.
    init(_ all: [Item], request: Request, key: (Item) -> String) throws {
        let limit = try request.queryInt("limit", default: 50, range: 1...100)
        let after = try request.uri.queryParameters.get("cursor").map(ListCursor.decode)
        let ordered = all.map { (key: key($0), item: $0) }.sorted { $0.key < $1.key }
        let remaining = after.map { cursor in ordered.filter { $0.key > cursor } } ?? ordered
        items = remaining.prefix(limit).map(\.item)
        nextCursor = remaining.count > limit ? ListCursor.encode(remaining[limit - 1].key) : nil
    }

    /// A sort key of a creation time and an id: oldest first, ties by id.
    static func key(_ date: Date, _ id: String) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        return String(format: "%015lld|", max(0, millis)) + id
    }
}

/// Opaque cursors: a list's position as base64url text.
enum ListCursor {
    static func encode(_ position: String) -> String {
        Data(position.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) throws -> String {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard cursor.count <= 512, let data = Data(base64Encoded: base64), let key = String(data: data, encoding: .utf8) else {
            throw APIError.invalid("cursor", "is not a cursor this list returned")
        }
        return key
    }
}
