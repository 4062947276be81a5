import Foundation
import SwitchboardCore

/// `GET /v1/endpoints/health`: live figures of each of the tenant's endpoints that has any.
struct EndpointHealthListDTO: Encodable {
    /// ``EndpointHealthBoard/Snapshot`` of one endpoint.
    struct Item: Encodable {
        var endpointId: String
        var recentAttempts: Int
        /// 0...1; `null` with no attempts yet.
        var successRate: Double?
        var p50Milliseconds: Int?
        var inFlight: Int
        /// Status code of the last attempt, or its error class.
        var lastOutcome: String?
        var lastAttemptAt: Date?

        init(endpointID: String, _ snapshot: EndpointHealthBoard.Snapshot) {
            endpointId = endpointID
            recentAttempts = snapshot.recentAttempts
            successRate = snapshot.successRate
            p50Milliseconds = snapshot.p50Milliseconds
            inFlight = snapshot.inFlight
            lastOutcome = snapshot.lastOutcome
            lastAttemptAt = snapshot.lastAttemptAt
        }

        enum CodingKeys: String, CodingKey {
            case endpointId, recentAttempts, successRate, p50Milliseconds, inFlight, lastOutcome, lastAttemptAt
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(endpointId, forKey: .endpointId)
            try container.encode(recentAttempts, forKey: .recentAttempts)
            try container.encode(successRate, forKey: .successRate)
            try container.encode(p50Milliseconds, forKey: .p50Milliseconds)
            try container.encode(inFlight, forKey: .inFlight)
            try container.encode(lastOutcome, forKey: .lastOutcome)
            try container.encode(lastAttemptAt, forKey: .lastAttemptAt)
        }
    }

    var items: [Item]
}
