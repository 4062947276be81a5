import Synchronization

/// Which deliveries run now, per endpoint, and which claimed ones wait for a free slot of
/// their endpoint: the per-endpoint concurrency limit.
final class InFlightLedger: Sendable {
    private struct State {
        var running: [String: Int] = [:]
        var limits: [String: Int] = [:]
        var waiting: [String: [DeliveryJob]] = [:]
        var total = 0
    }

    private let state = Mutex(State())

    /// Deliveries running now, in total.
    var total: Int { state.withLock { $0.total } }

    /// Endpoints that cannot take another delivery right now: at their limit, or with claimed
    /// deliveries already waiting for a slot.
    func saturatedEndpoints() -> Set<String> {
        state.withLock { state in
            var saturated = Set(state.waiting.filter { !$0.value.isEmpty }.keys)
            for (endpointID, running) in state.running where running >= state.limits[endpointID, default: 1] {
                saturated.insert(endpointID)
            }
            return saturated
        }
    }

    /// Admits claimed jobs: returns those that may start now (marked running); the rest wait.
    func admit(_ jobs: [DeliveryJob]) -> [DeliveryJob] {
        state.withLock { state in
            var startable: [DeliveryJob] = []
            for job in jobs {
                let endpointID = job.endpoint.id
                state.limits[endpointID] = job.endpoint.maxConcurrency
                if state.running[endpointID, default: 0] < job.endpoint.maxConcurrency, state.waiting[endpointID, default: []].isEmpty {
                    state.running[endpointID, default: 0] += 1
                    state.total += 1
                    startable.append(job)
                } else {
                    state.waiting[endpointID, default: []].append(job)
                }
            }
            return startable
        }
    }

    /// Marks a job of `endpointID` finished. With `takeNext`, returns the next waiting job of
    /// the same endpoint, already marked running, for the caller to run in the freed slot;
    /// without it (shutting down), waiting jobs of the endpoint are dropped: their leases lapse
    /// and they are attempted again later.
    func finish(endpointID: String, takeNext: Bool) -> DeliveryJob? {
        state.withLock { state in
            if takeNext, var queue = state.waiting[endpointID], !queue.isEmpty {
                let next = queue.removeFirst()
                state.waiting[endpointID] = queue.isEmpty ? nil : queue
                return next
            }
            if !takeNext { state.waiting[endpointID] = nil }
            state.running[endpointID, default: 1] -= 1
            state.total -= 1
            if state.running[endpointID] == 0 {
                state.running[endpointID] = nil
                state.limits[endpointID] = nil
            }
            return nil
        }
    }
}
