import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The bench's webhook receiver: a minimal HTTP/1.1 keep-alive server on 127.0.0.1, on its
/// own event loop thread, cheap enough to share the machine with the engine it measures.
///
/// `POST /hooks…` gets `200` with an empty body; `/hang` is accepted and never answered.
/// Arrivals go to ``log``.
final class BenchReceiver: Sendable {
    static let hooksPath = "/hooks"
    static let hangPath = "/hang"

    let log: ArrivalLog
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let stopped = Atomic<Bool>(false)

    private init(log: ArrivalLog, port: Int, group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.log = log
        self.port = port
        self.group = group
        self.channel = channel
    }

    /// Listens on a port the kernel picks.
    static func start() async throws -> BenchReceiver {
        let log = ArrivalLog()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(BenchReceiverHandler(log: log))
                    }
                }
                .bind(host: "127.0.0.1", port: 0)
                .get()
            guard let port = channel.localAddress?.port else { throw BenchError("the receiver has no local port") }
            return BenchReceiver(log: log, port: port, group: group, channel: channel)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Stops listening and closes every connection, hanging ones included; later calls do nothing.
    func stop() async {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        try? await channel.close().get()
        try? await group.shutdownGracefully()
    }
}
