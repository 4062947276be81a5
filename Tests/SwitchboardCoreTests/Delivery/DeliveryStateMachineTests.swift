import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Delivery state machine")
struct DeliveryStateMachineTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let policy = RetryPolicy(schedule: [0, 5, 300, 1800], jitter: 0)

    @Test("a 2xx answer succeeds the delivery")
    func successOn2xx() {
        for code in [200, 201, 204, 299] {
            var machine = DeliveryStateMachine(state: .pending, attemptCount: 0, policy: policy)
            #expect(machine.startAttempt() == 1)
            #expect(machine.finishAttempt(.response(statusCode: code, retryAfter: nil), now: start, unit: 0.5) == .succeed)
            #expect(machine.state == .succeeded)
        }
    }

    @Test("non-2xx answers, redirects included, are retried on the schedule until attempts run out")
    func followsScheduleThenFails() {
        var machine = DeliveryStateMachine(state: .pending, attemptCount: 0, policy: policy)
        var now = start
        var dueDates: [TimeInterval] = []
        for code in [500, 302, 404] {
            _ = machine.startAttempt()
            guard case .retry(let at) = machine.finishAttempt(.response(statusCode: code, retryAfter: nil), now: now, unit: 0.5) else {
                Issue.record("expected a retry after \(code)")
                return
            }
            dueDates.append(at.timeIntervalSince(now))
            #expect(machine.state == .scheduled)
            now = at
        }
        #expect(dueDates == [5, 300, 1800])
        _ = machine.startAttempt()
        #expect(machine.finishAttempt(.networkError(errorClass: "timeout"), now: now, unit: 0.5) == .fail)
        #expect(machine.state == .failed)
        #expect(machine.attemptCount == 4)
    }

    @Test("jitter spreads a delay by at most ±20 %")
    func jitterBounds() {
        let jittered = RetryPolicy(schedule: [0, 100], jitter: 0.2)
        #expect(jittered.delay(after: 1, retryAfter: nil, unit: 0) == 80)
        #expect(jittered.delay(after: 1, retryAfter: nil, unit: 0.5) == 100)
        #expect(abs(jittered.delay(after: 1, retryAfter: nil, unit: 0.999_999)! - 120) < 0.001)
        #expect(jittered.delay(after: 2, retryAfter: nil, unit: 0.5) == nil)
    }

    @Test("Retry-After on 429 and 503 replaces the scheduled delay, within bounds")
    func honoursRetryAfter() {
        let bounded = RetryPolicy(schedule: [0, 5, 300], jitter: 0, retryAfterMinimum: 1, retryAfterMaximum: 3600)
        for code in [429, 503] {
            var machine = DeliveryStateMachine(state: .pending, attemptCount: 0, policy: bounded)
            _ = machine.startAttempt()
            #expect(machine.finishAttempt(.response(statusCode: code, retryAfter: 42), now: start, unit: 0.5) == .retry(at: start.addingTimeInterval(42)))
        }
        var clamped = DeliveryStateMachine(state: .pending, attemptCount: 0, policy: bounded)
        _ = clamped.startAttempt()
        #expect(clamped.finishAttempt(.response(statusCode: 429, retryAfter: 999_999), now: start, unit: 0.5) == .retry(at: start.addingTimeInterval(3600)))
        var ignored = DeliveryStateMachine(state: .pending, attemptCount: 0, policy: bounded)
        _ = ignored.startAttempt()
        #expect(ignored.finishAttempt(.response(statusCode: 500, retryAfter: 42), now: start, unit: 0.5) == .retry(at: start.addingTimeInterval(5)))
    }

    @Test("410 Gone fails the delivery and disables the endpoint")
    func goneDisables() {
        var machine = DeliveryStateMachine(state: .pending, attemptCount: 0, policy: policy)
        _ = machine.startAttempt()
        #expect(machine.finishAttempt(.response(statusCode: 410, retryAfter: nil), now: start, unit: 0.5) == .failAndDisableEndpoint(reason: "gone"))
        #expect(machine.state == .failed)
    }

    @Test("a refused address or an unusable URL fails the delivery at once, with attempts left")
    func permanentFailures() {
        for errorClass in [TransportErrorClass.blockedAddress, TransportErrorClass.invalidURL] {
            var machine = DeliveryStateMachine(state: .pending, attemptCount: 0, policy: policy)
            _ = machine.startAttempt()
            #expect(machine.finishAttempt(.networkError(errorClass: errorClass), now: start, unit: 0.5) == .fail)
            #expect(machine.state == .failed)
        }
        var refused = DeliveryStateMachine(state: .pending, attemptCount: 0, policy: policy)
        _ = refused.startAttempt()
        #expect(refused.finishAttempt(.networkError(errorClass: TransportErrorClass.connectionRefused), now: start, unit: 0.5) != .fail)
    }

    @Test("Retry-After is capped by the schedule's longest step unless configured")
    func retryAfterCap() {
        let policy = RetryPolicy(schedule: [0, 5, 300], jitter: 0)
        #expect(policy.retryAfterMaximum == 300)
        #expect(policy.clampRetryAfter(10_000) == 300)
        #expect(policy.clampRetryAfter(0) == 1)
        #expect(RetryPolicy(schedule: [0, 5], retryAfterMaximum: 60).clampRetryAfter(90) == 60)
    }

    @Test("a Retry-After date is measured from the engine's clock, not the machine's")
    func retryAfterDateOnInjectedClock() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        #expect(RetryAfter.delay("Tue, 14 Nov 2023 22:15:00 GMT", now: now) == 100)
        #expect(RetryAfter.delay("  120 ", now: now) == 120)
        #expect(RetryAfter.delay("Tue, 14 Nov 2023 22:00:00 GMT", now: now) == 0)
        #expect(RetryAfter.delay("soon", now: now) == nil)
    }

    @Test("event status follows its deliveries")
    func eventStatus() {
        #expect(Event.status(for: [.succeeded, .succeeded]) == .delivered)
        #expect(Event.status(for: [.succeeded, .failed]) == .partial)
        #expect(Event.status(for: [.failed, .failed]) == .failed)
        #expect(Event.status(for: [.succeeded, .scheduled]) == .queued)
        #expect(Event.status(for: [.paused]) == .queued)
        #expect(Event.status(for: []) == .delivered)
    }
}
