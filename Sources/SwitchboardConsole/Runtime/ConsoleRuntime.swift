import Foundation
import Logging
import SwitchboardCore

/// Owns the console's loop: takes the terminal's keys, the change feed and a 10 Hz tick,
/// runs them through the ``Reducer``, runs the effects against the dispatcher, and
/// renders. Everything it renders goes to the ``TerminalSession``; it never writes to
/// standard output itself.
///
/// Redraws: at once after a key or a resize; otherwise at most once per tick (10 a second),
/// with every feed change since the last tick applied as one batch. A frame identical to
/// the previous one is not sent.
struct ConsoleRuntime: Sendable {
    let operations: any ConsoleOperations
    let feed: ChangeFeed
    let terminal: any TerminalSession
    let options: ConsoleOptions
    var timeZone: TimeZone = .current
    var tickInterval: Duration = .milliseconds(100)
    /// What the header says the console is connected to.
    var session = SessionStatus(target: "embedded", attached: false, serverVersion: "")
    /// The attached server's connection states, for a console attached over the API.
    var connectionStates: AsyncStream<ConnectionUpdate>?

    /// A connection state and whether it is a return after a loss.
    struct ConnectionUpdate: Sendable {
        var connection: SessionStatus.Connection
        var resumed: Bool
    }

    private enum Message: Sendable {
        case terminal(TerminalEvent)
        case terminalEnded
        case tick
        case input(Input)
    }

    /// Runs until the operator quits, the terminal goes away or the task is cancelled;
    /// the terminal is given back in every case before it returns.
    func run() async throws {
        let (inbox, sink) = AsyncStream.makeStream(of: Message.self, bufferingPolicy: .unbounded)
        let subscription = feed.subscribe()
        let buffer = ChangeBuffer()
        let executor = EffectExecutor(operations: operations, logger: options.logger)
        let terminal = self.terminal
        let tickInterval = self.tickInterval
        let connectionStates = self.connectionStates
        terminal.start()
        var failure: ConsoleError?
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await event in terminal.events { sink.yield(.terminal(event)) }
                sink.yield(.terminalEnded)
            }
            group.addTask {
                for await change in subscription.changes { buffer.append(change) }
            }
            if let connectionStates {
                group.addTask {
                    for await update in connectionStates { sink.yield(.input(.connection(update.connection, resumed: update.resumed))) }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: tickInterval)
                    sink.yield(.tick)
                }
            }
            var loop = Loop(runtime: self)
            for await message in inbox {
                var effects: [Effect] = []
                switch message {
                case .terminal(.ready(let capabilities)):
                    effects = loop.start(capabilities)
                case .terminal(.failed(let message)):
                    failure = ConsoleError(message)
                case .terminal(.closed), .terminalEnded:
                    loop.quit = true
                case .terminal(.key(let key)):
                    // A key is judged at the time it arrives (a confirmation ignores keys
                    // for its first 300 ms), not at the last tick.
                    loop.state?.now = operations.now()
                    effects = loop.apply(.key(key), renderNow: true)
                case .terminal(.paste(let text)):
                    effects = loop.apply(.paste(text), renderNow: true)
                case .terminal(.resize(let size)):
                    effects = loop.apply(.resize(size), renderNow: true)
                case .tick:
                    let (changes, bufferDropped) = buffer.drain()
                    effects = loop.tick(changes: changes, dropped: subscription.dropped + bufferDropped)
                case .input(.connection(let connection, let resumed)) where loop.state == nil:
                    // The stream can connect before the terminal is ready: keep the latest state for the first frame.
                    loop.pendingConnection = (connection, resumed)
                case .input(let input):
                    effects = loop.apply(input, renderNow: false)
                }
                for effect in effects {
                    switch effect {
                    case .quit:
                        loop.quit = true
                    case .suspend:
                        terminal.suspend()
                    case .copy(let text):
                        terminal.copy(text)
                    case .load(let request):
                        group.addTask { sink.yield(.input(await executor.load(request))) }
                    case .perform(let action):
                        group.addTask { sink.yield(.input(await executor.perform(action))) }
                    }
                }
                if loop.quit || failure != nil { break }
            }
            group.cancelAll()
        }
        subscription.cancel()
        terminal.stop()
        await terminal.waitUntilStopped()
        if let failure { throw failure }
    }

    /// The loop's state: the console state once the terminal is ready, and the last frame.
    private struct Loop {
        let runtime: ConsoleRuntime
        var state: ConsoleState?
        var lastFrame: Frame?
        var dirty = false
        var quit = false
        /// A connection state that arrived before the terminal was ready.
        var pendingConnection: (SessionStatus.Connection, Bool)?

        mutating func start(_ capabilities: TerminalCapabilities) -> [Effect] {
            var initial = ConsoleState(
                readOnly: runtime.options.readOnly, listenAddress: runtime.options.listenAddress,
                storeDescription: runtime.options.storeDescription, size: capabilities.size, now: runtime.operations.now())
            initial.glyphs = capabilities.unicode ? .unicode : .ascii
            initial.timeZone = runtime.timeZone
            initial.ingestBaseURL = runtime.options.ingestBaseURL
            initial.devMode = runtime.options.devMode
            initial.stopsDispatcherOnQuit = runtime.options.stopsDispatcherOnQuit && !runtime.options.readOnly
            initial.session = runtime.session
            if initial.session?.serverVersion.isEmpty ?? false { initial.session?.serverVersion = runtime.options.serverVersion }
            if let key = runtime.options.firstStartAdminKey {
                initial.modal = .adminKey(AdminKeyPanel(key: key, file: runtime.options.adminKeyFile))
            }
            if let (connection, _) = pendingConnection { initial.session?.connection = connection }
            state = initial
            let effects = apply(.tick(initial.now), renderNow: true)
            return effects
        }

        mutating func apply(_ input: Input, renderNow: Bool) -> [Effect] {
            guard var current = state else { return [] }
            let effects = Reducer.reduce(&current, input)
            state = current
            if current.isQuitting { quit = true }
            dirty = true
            if renderNow { render() }
            return effects
        }

        mutating func tick(changes: [Change], dropped: Int) -> [Effect] {
            guard state != nil else { return [] }
            var effects: [Effect] = []
            if !changes.isEmpty || dropped > (state?.droppedChanges ?? 0) {
                effects += apply(.changes(changes, dropped: dropped), renderNow: false)
            }
            effects += apply(.tick(runtime.operations.now()), renderNow: false)
            if dirty { render() }
            return effects
        }

        mutating func render() {
            guard let state, !quit else { return }
            dirty = false
            let frame = FrameRenderer.render(ScreenBuilder.build(state))
            guard frame != lastFrame else { return }
            lastFrame = frame
            runtime.terminal.present(frame)
        }
    }
}
