import Foundation
import SwitchboardCore

/// `GET /v1/logs`: the server's recent log lines.
struct LogListDTO: Encodable {
    /// One line: when, how severe, which logger, what.
    struct Item: Encodable {
        var time: Date
        var level: String
        var label: String
        var message: String

        init(_ entry: LogEntry) {
            time = entry.time
            level = entry.level.rawValue
            label = entry.label
            message = entry.message
        }
    }

    var items: [Item]
}
