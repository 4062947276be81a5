import Foundation

/// How the bench writes its figures: always with a unit.
enum BenchFormat {
    static func milliseconds(_ duration: Duration) -> String { String(format: "%.2f ms", duration.benchSeconds * 1000) }
    static func seconds(_ seconds: Double) -> String { String(format: "%.2f s", seconds) }
    static func rate(_ perSecond: Double, _ unit: String) -> String { "\(grouped(Int(perSecond.rounded()))) \(unit)/s" }
    static func mebibytes(_ bytes: Int?) -> String { bytes.map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "n/a" }
    static func percent(_ fraction: Double) -> String { String(format: "%.1f %%", fraction * 100) }
    static func cpu(_ seconds: Double, per count: Int, _ unit: String) -> String {
        guard count > 0 else { return "n/a" }
        return String(format: "%.3f", seconds / Double(count) * 1000) + " CPU s/1k " + unit
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var benchSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
