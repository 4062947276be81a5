/// p50, p99 and max of a set of durations, with how many there were.
struct LatencySummary: Sendable {
    let count: Int
    let p50: Duration
    let p99: Duration
    let max: Duration

    init(_ samples: [Duration]) {
        let sorted = samples.sorted()
        count = sorted.count
        func rank(_ fraction: Double) -> Duration {
            guard !sorted.isEmpty else { return .zero }
            let index = Int((Double(sorted.count) * fraction).rounded(.up)) - 1
            return sorted[Swift.min(sorted.count - 1, Swift.max(0, index))]
        }
        p50 = rank(0.50)
        p99 = rank(0.99)
        max = sorted.last ?? .zero
    }

    /// `p50 1.2 ms, p99 4.5 ms, max 9.8 ms`, or `no samples`.
    var description: String {
        guard count > 0 else { return "no samples" }
        return "p50 \(BenchFormat.milliseconds(p50)), p99 \(BenchFormat.milliseconds(p99)), max \(BenchFormat.milliseconds(max))"
    }
}
