import Foundation
import Synchronization
import SwitchboardCore

/// An in-memory ``DeliveryTransport``: records every request and answers with `answer`, or,
/// while ``holding`` is on, keeps each send waiting until the test releases it.
final class ScriptedTransport: DeliveryTransport {
    private struct State {
        var sent: [TransportRequest] = []
        var sentAt: [ContinuousClock.Instant] = []
        var held: [Int: CheckedContinuation<TransportResponse, Never>] = [:]
        var inFlight = 0
        var peakInFlight = 0
    }

    private let state = Mutex(State())
    private let holdingFlag = Atomic<Bool>(false)
    private let answer: @Sendable (TransportRequest) -> TransportResponse

    init(answer: @escaping @Sendable (TransportRequest) -> TransportResponse = { _ in TransportResponse(statusCode: 200, duration: 0.001) }) {
        self.answer = answer
    }

    /// While on, sends wait for ``release(_:with:)``.
    var holding: Bool {
        get { holdingFlag.load(ordering: .relaxed) }
        set { holdingFlag.store(newValue, ordering: .relaxed) }
    }

    var sent: [TransportRequest] { state.withLock { $0.sent } }
    /// When each request was sent, in arrival order.
    var sentAt: [ContinuousClock.Instant] { state.withLock { $0.sentAt } }
    var peakInFlight: Int { state.withLock { $0.peakInFlight } }

    func send(_ request: TransportRequest) async -> TransportResponse {
        let index = state.withLock { state in
            state.sent.append(request)
            state.sentAt.append(.now)
            state.inFlight += 1
            state.peakInFlight = max(state.peakInFlight, state.inFlight)
            return state.sent.count - 1
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        guard holding else { return answer(request) }
        return await withCheckedContinuation { continuation in
            state.withLock { $0.held[index] = continuation }
        }
    }

    /// Lets the held send number `index` (0-based, in arrival order) finish with `response`;
    /// `false` when that send is not (yet) held.
    @discardableResult
    func release(_ index: Int, with response: TransportResponse) -> Bool {
        guard let continuation = state.withLock({ $0.held.removeValue(forKey: index) }) else { return false }
        continuation.resume(returning: response)
        return true
    }

    /// Waits until at least `count` requests were sent (and, while holding, are waiting for
    /// their release); gives up after `seconds`.
    func waitForSends(_ count: Int, timeout seconds: Double = 10) async throws {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
        while ContinuousClock.now < deadline {
            let ready = state.withLock { state in
                state.sent.count >= count && (!holding || state.held[count - 1] != nil)
            }
            if ready { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw DispatchHarness.HarnessTimeout(description: "timed out after \(seconds)s waiting for \(count) sends (saw \(sent.count))")
    }

    func shutdown() async {
        let held = state.withLock { state in
            defer { state.held = [:] }
            return Array(state.held.values)
        }
        for continuation in held { continuation.resume(returning: .failure(TransportErrorClass.shutdown, "shut down", duration: 0)) }
    }
}
