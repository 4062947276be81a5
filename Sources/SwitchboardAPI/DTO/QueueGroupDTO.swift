import Foundation
import SwitchboardCore

/// `GET /v1/queue/summary`: the retry queue per endpoint, largest first.
struct QueueSummaryDTO: Encodable {
    /// One endpoint's waiting (pending), paused and scheduled counts and when the next is due.
    struct Item: Encodable {
        var endpointId: String
        var url: String
        var waiting: Int
        var paused: Int
        var scheduled: Int
        /// `null` when only paused deliveries wait.
        var nextDue: Date?

        init(_ group: QueueGroup) {
            endpointId = group.endpointID
            url = group.url
            waiting = group.waiting
            paused = group.paused
            scheduled = group.scheduled
            nextDue = group.nextDue
        }

        enum CodingKeys: String, CodingKey { case endpointId, url, waiting, paused, scheduled, nextDue }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(endpointId, forKey: .endpointId)
            try container.encode(url, forKey: .url)
            try container.encode(waiting, forKey: .waiting)
            try container.encode(paused, forKey: .paused)
            try container.encode(scheduled, forKey: .scheduled)
            try container.encode(nextDue, forKey: .nextDue)
        }
    }

    var items: [Item]
}
