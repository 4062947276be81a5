import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What this process has used so far: CPU time from `getrusage` and resident memory from
/// `/proc/self/status`. Process-wide, so the bench's own receiver and publishers are included.
enum ProcessUsage {
    /// User plus system CPU seconds this process has used since it started.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Peak resident set size (`VmHWM`) in bytes, or `nil` where `/proc` is not available.
    static func peakResidentBytes() -> Int? { statusKilobytes("VmHWM:").map { $0 * 1024 } }

    /// Resident set size right now (`VmRSS`) in bytes.
    static func residentBytes() -> Int? { statusKilobytes("VmRSS:").map { $0 * 1024 } }

    /// Lowers the peak (`VmHWM`) to the current resident size, so the next reading is the peak
    /// of what follows. `false` when the kernel refuses (then peaks are since the process started).
    @discardableResult
    static func resetPeakResident() -> Bool {
        let descriptor = open("/proc/self/clear_refs", O_WRONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return write(descriptor, "5", 1) == 1
    }

    private static func statusKilobytes(_ field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) })
        else { return nil }
        return Int(line.dropFirst(field.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }
}
