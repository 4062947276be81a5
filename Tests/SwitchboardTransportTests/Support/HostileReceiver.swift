import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real HTTP/1.1 receiver on 127.0.0.1 (OS-assigned port) that answers well or badly by path,
/// and keeps count of what it saw: for tests of the transport and of the dispatcher above it.
///
/// Paths (the query is ignored for routing):
/// - `/ok`: 200 with a short body.
/// - `/hang`: reads the request and never answers.
/// - `/trickle`: a 200 head with `content-length: 1000`, then one body byte per second.
/// - `/throttle`: 429 with `Retry-After: 7`.   `/unavailable`: 503 with `Retry-After: 3`.
/// - `/reset`: resets the connection (SO_LINGER 0, then close: a TCP RST).
/// - `/redirect`: 302 with `Location: https://example.invalid/next`.
/// - `/big`: 200 with a 100 KiB body.
/// - `/close`: 200 with `connection: close`, then closes.
/// - `/status/NNN`: that status with a short body.   `/delay/MS`: 200 after MS milliseconds.
/// - anything else: 404.
final class HostileReceiver: Sendable {
    /// What the receiver has seen so far.
    struct Log: Sendable {
        var requestsByPath: [String: Int] = [:]
        /// Every `webhook-id` header received, in arrival order (duplicates kept).
        var webhookIDs: [String] = []
        /// Every `Host` header received, in arrival order.
        var hostHeaders: [String] = []
        var acceptedConnections = 0
    }

    /// Size of the `/big` body.
    static let bigBodyBytes = 100 * 1024
    /// Body of `/ok`.
    static let okBody = "ok"

    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: any Channel
    private let recorder: Recorder

    private init(port: Int, group: MultiThreadedEventLoopGroup, serverChannel: any Channel, recorder: Recorder) {
        self.port = port
        self.group = group
        self.serverChannel = serverChannel
        self.recorder = recorder
    }

    /// Starts a receiver with its own event loop thread.
    static func start() async throws -> HostileReceiver {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let recorder = Recorder()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                recorder.log.withLock { $0.acceptedConnections += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(HostileRequestHandler(recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else { throw ReceiverError.noPort }
        return HostileReceiver(port: port, group: group, serverChannel: channel, recorder: recorder)
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Requests whose head arrived for `path` (query ignored).
    func requests(to path: String) -> Int { recorder.log.withLock { $0.requestsByPath[path] ?? 0 } }

    var totalRequests: Int { recorder.log.withLock { $0.requestsByPath.values.reduce(0, +) } }

    var acceptedConnections: Int { recorder.log.withLock { $0.acceptedConnections } }

    var webhookIDs: [String] { recorder.log.withLock { $0.webhookIDs } }

    /// How often each `webhook-id` arrived, for counting duplicates.
    var webhookIDCounts: [String: Int] { recorder.log.withLock { $0.webhookIDs.reduce(into: [:]) { $0[$1, default: 0] += 1 } } }

    var hostHeaders: [String] { recorder.log.withLock { $0.hostHeaders } }

    /// Everything seen so far.
    var snapshot: Log { recorder.log.withLock { $0 } }

    /// Stops listening and closes every connection (hanging and trickling ones included).
    func shutdown() async {
        try? await serverChannel.close()
        try? await group.shutdownGracefully()
    }

    enum ReceiverError: Error {
        case noPort
    }

    /// A port on 127.0.0.1 that nothing listens on: bound with port 0, noted, closed.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else { throw ReceiverError.noPort }
        try await channel.close()
        return port
    }
}

/// The receiver's shared log, reachable from every connection's handler.
private final class Recorder: Sendable {
    let log = Mutex(HostileReceiver.Log())
}

/// Answers one connection's requests by path.
private final class HostileRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let recorder: Recorder
    private var path = ""
    private var keepAlive = true

    init(recorder: Recorder) {
        self.recorder = recorder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = String(head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            keepAlive = head.isKeepAlive
            let webhookID = head.headers.first(name: "webhook-id")
            let host = head.headers.first(name: "host")
            let path = self.path
            recorder.log.withLock { log in
                log.requestsByPath[path, default: 0] += 1
                if let webhookID { log.webhookIDs.append(webhookID) }
                if let host { log.hostHeaders.append(host) }
            }
        case .body:
            break
        case .end:
            respond(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(context: ChannelHandlerContext) {
        switch path {
        case "/ok":
            send(context, .ok, body: HostileReceiver.okBody)
        case "/hang":
            break
        case "/trickle":
            var headers = HTTPHeaders()
            headers.add(name: "content-length", value: "1000")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            trickle(context: context, remaining: 1000)
        case "/throttle":
            send(context, .tooManyRequests, body: "slow down", extra: [("retry-after", "7")])
        case "/unavailable":
            send(context, .serviceUnavailable, body: "later", extra: [("retry-after", "3")])
        case "/reset":
            reset(context: context)
        case "/redirect":
            send(context, .found, body: "", extra: [("location", "https://example.invalid/next")])
        case "/big":
            send(context, .ok, body: String(repeating: "b", count: HostileReceiver.bigBodyBytes))
        case "/close":
            keepAlive = false
            send(context, .ok, body: HostileReceiver.okBody)
        default:
            if path.hasPrefix("/status/"), let code = Int(path.dropFirst("/status/".count)) {
                send(context, HTTPResponseStatus(statusCode: code), body: "status \(code)")
            } else if path.hasPrefix("/delay/"), let milliseconds = Int64(path.dropFirst("/delay/".count)) {
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(milliseconds)) {
                    self.send(bound.value, .ok, body: HostileReceiver.okBody)
                }
            } else {
                send(context, .notFound, body: "no such path")
            }
        }
    }

    private func send(
        _ context: ChannelHandlerContext, _ status: HTTPResponseStatus, body: String, extra: [(String, String)] = []
    ) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: String(body.utf8.count))
        if !keepAlive { headers.add(name: "connection", value: "close") }
        for (name, value) in extra { headers.add(name: name, value: value) }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        let keepAlive = self.keepAlive
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { bound.value.close(promise: nil) }
        }
    }

    /// One body byte now, then one a second until `remaining` is sent or the peer goes away.
    private func trickle(context: ChannelHandlerContext, remaining: Int) {
        guard context.channel.isActive else { return }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: "t")))), promise: nil)
        guard remaining > 1 else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) {
            self.trickle(context: bound.value, remaining: remaining - 1)
        }
    }

    /// SO_LINGER 0 then close: the kernel answers with RST instead of FIN.
    private func reset(context: ChannelHandlerContext) {
        let channel = context.channel
        guard let options = channel as? any SocketOptionProvider else {
            context.close(promise: nil)
            return
        }
        options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
