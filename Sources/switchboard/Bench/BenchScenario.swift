/// One measurement `switchboard bench` can run, each on a fresh store.
enum BenchScenario: Hashable, Sendable, Comparable {
    /// Publishers only, no endpoints: how fast events are accepted.
    case publish
    /// Every event fans out to `endpoints` healthy endpoints: deliveries/s and latency.
    case deliver(endpoints: Int)
    /// A steady rate to one endpoint: latency when the engine is not saturated.
    case steady
    /// A healthy tenant's deliveries while another tenant's endpoints hang, against a baseline without them.
    case slow
    /// Publish-only until the store holds many events: peak memory and file size.
    case stored
    /// The console over a store of many events and waiting deliveries: first frame and
    /// key-to-frame times.
    case console

    /// The suite, in the order it runs; `stored` is last because it is long and its memory peak is process-wide.
    static func suite(quick: Bool) -> [BenchScenario] {
        [.publish, .deliver(endpoints: 1), .deliver(endpoints: 8), .steady, .slow] + (quick ? [] : [.stored])
    }

    /// The names `--scenario` takes.
    static let names = "publish, deliver-N (e.g. deliver-1, deliver-8), steady, slow, stored, console"

    init?(name: String) {
        switch name.lowercased() {
        case "publish": self = .publish
        case "steady": self = .steady
        case "slow": self = .slow
        case "stored": self = .stored
        case "console": self = .console
        case let other where other.hasPrefix("deliver-"):
            guard let count = Int(other.dropFirst("deliver-".count)), count > 0 else { return nil }
            self = .deliver(endpoints: count)
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .publish: "publish"
        case .deliver(let endpoints): "deliver-\(endpoints)"
        case .steady: "steady"
        case .slow: "slow"
        case .stored: "stored"
        case .console: "console"
        }
    }

    private var order: (Int, Int) {
        switch self {
        case .publish: (0, 0)
        case .deliver(let endpoints): (1, endpoints)
        case .steady: (2, 0)
        case .slow: (3, 0)
        case .stored: (4, 0)
        case .console: (5, 0)
        }
    }

    static func < (lhs: BenchScenario, rhs: BenchScenario) -> Bool { lhs.order < rhs.order }
}
