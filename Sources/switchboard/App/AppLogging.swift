import Logging
import SwitchboardCore

/// This process's in-memory log ring: every handler the commands bootstrap keeps its lines
/// here (``RingLogHandler``) besides writing them out, for the console's log pane and `GET /v1/logs`.
enum AppLogging {
    static let ring = LogRing(capacity: 2000)
}
