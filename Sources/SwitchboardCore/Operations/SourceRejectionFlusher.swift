import Foundation
import ServiceLifecycle

/// Writes the refused inbound requests counted in memory (``SourceRejectionLedger``) every
/// `interval`, and once more on graceful shutdown so that none is lost.
public struct SourceRejectionFlusher: Service {
    let switchboard: Switchboard
    let interval: Duration

    public init(switchboard: Switchboard, interval: Duration = .seconds(1)) {
        self.switchboard = switchboard
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            await switchboard.flushSourceRejections()
        }
        await switchboard.flushSourceRejections()
    }
}
