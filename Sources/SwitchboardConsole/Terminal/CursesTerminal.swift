import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real terminal: a dedicated thread owns the ``CursesBackend`` and does every curses
/// call. It sleeps in `poll` on standard input and a wake-up pipe, reads keys as they
/// come, draws the newest frame it was given, and gives the terminal back on ``stop()``.
final class CursesTerminal: TerminalSession {
    let events: AsyncStream<TerminalEvent>
    private let continuation: AsyncStream<TerminalEvent>.Continuation
    private let mailbox = Mutex(Mailbox())
    private let wakeRead: Int32
    private let wakeWrite: Int32

    private struct Mailbox: ~Copyable {
        var frame: Frame?
        var stopRequested = false
        var suspendRequested = false
        var clipboard: [String] = []
        var started = false
        var stopped = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    init() {
        (events, continuation) = AsyncStream.makeStream(of: TerminalEvent.self, bufferingPolicy: .unbounded)
        var fds: [Int32] = [0, 0]
        if pipe(&fds) == 0 {
            wakeRead = fds[0]
            wakeWrite = fds[1]
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        } else {
            wakeRead = -1
            wakeWrite = -1
        }
    }

    deinit {
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    func start() {
        let first = mailbox.withLock { box in
            defer { box.started = true }
            return !box.started
        }
        guard first else { return }
        let thread = Thread { [self] in self.runLoop() }
        thread.name = "switchboard-console-terminal"
        thread.start()
    }

    func present(_ frame: Frame) {
        mailbox.withLock { $0.frame = frame }
        wake()
    }

    func suspend() {
        mailbox.withLock { $0.suspendRequested = true }
        wake()
    }

    func copy(_ text: String) {
        mailbox.withLock { $0.clipboard.append(text) }
        wake()
    }

    func stop() {
        mailbox.withLock { $0.stopRequested = true }
        wake()
    }

    func waitUntilStopped() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = mailbox.withLock { box in
                if box.stopped || !box.started { return true }
                box.waiters.append(waiter)
                return false
            }
            if done { waiter.resume() }
        }
    }

    private func wake() {
        guard wakeWrite >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: Terminal thread

    private func runLoop() {
        let backend: CursesBackend
        do {
            backend = try CursesBackend()
        } catch {
            continuation.yield(.failed(error.description))
            finish()
            return
        }
        continuation.yield(.ready(backend.capabilities))
        var pollSet = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        var inputClosed = false
        while true {
            pollSet[0].revents = 0
            pollSet[1].revents = 0
            // The timeout bounds how late a resize (SIGWINCH, seen by getch) is noticed.
            _ = poll(&pollSet, inputClosed ? 1 : 2, 100)
            drainWakePipe()
            if !inputClosed && pollSet[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 && pollSet[0].revents & Int16(POLLIN) == 0 {
                inputClosed = true
                pollSet.swapAt(0, 1)
                continuation.yield(.closed)
            }
            for event in backend.readEvents() { continuation.yield(event) }
            let (frame, stop, suspend, clipboard) = mailbox.withLock { box in
                defer {
                    box.frame = nil
                    box.suspendRequested = false
                    box.clipboard = []
                }
                return (box.frame, box.stopRequested, box.suspendRequested, box.clipboard)
            }
            if stop { break }
            for text in clipboard { backend.copyToClipboard(text) }
            if suspend { continuation.yield(.resize(backend.suspend())) }
            if let frame { backend.draw(frame) }
        }
        backend.shutdown()
        finish()
    }

    private func drainWakePipe() {
        guard wakeRead >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    private func finish() {
        continuation.finish()
        let waiters = mailbox.withLock { box in
            box.stopped = true
            defer { box.waiters = [] }
            return box.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
