import Foundation
import SwitchboardCore

extension SwitchboardClient {
    /// The `GET /v1/events` parameters of the query's store-side search terms.
    static func searchParameters(_ query: EventQuery) -> [(String, String?)] {
        [
            ("delivery_status", query.deliveryStatus?.rawValue), ("since", query.since.map(Timestamp.string)),
            ("until", query.until.map(Timestamp.string)), ("q", query.text),
        ]
    }
}
