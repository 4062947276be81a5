/// Gathers concurrent submissions into batches committed together: group commit.
///
/// The first submitter becomes the leader and commits its input together with whatever
/// queued while the previous batch was being written; then it hands leadership to the next
/// waiter, so nobody waits behind more than one batch of others. Under light load every
/// submission commits alone at once; under heavy load one commit (one fsync) serves up to
/// `maxBatchSize` submissions. No background task is needed.
public actor GroupCommitter<Input: Sendable, Output: Sendable> {
    private enum Wake: Sendable {
        case finished(Result<Output, any Error>)
        case lead
    }

    private var queue: [(input: Input, waiter: CheckedContinuation<Wake, Never>)] = []
    private var leaderActive = false
    private let maxBatchSize: Int
    private let commit: @Sendable ([Input]) async throws -> [Output]

    /// - Parameter commit: writes a batch and returns one output per input, in order.
    public init(maxBatchSize: Int = 256, commit: @escaping @Sendable ([Input]) async throws -> [Output]) {
        precondition(maxBatchSize > 0)
        self.maxBatchSize = maxBatchSize
        self.commit = commit
    }

    /// Commits `input` in the next batch and returns its output.
    public func submit(_ input: Input) async throws -> Output {
        if leaderActive {
            let wake = await withCheckedContinuation { queue.append((input, $0)) }
            if case .finished(let result) = wake { return try result.get() }
        }
        return try await lead(with: input)
    }

    private func lead(with input: Input) async throws -> Output {
        leaderActive = true
        let followers = Array(queue.prefix(maxBatchSize - 1))
        queue.removeFirst(followers.count)
        let inputs = [input] + followers.map(\.input)
        let outputs: Result<[Output], any Error>
        do {
            let written = try await commit(inputs)
            precondition(written.count == inputs.count, "commit must return one output per input")
            outputs = .success(written)
        } catch {
            outputs = .failure(error)
        }
        for (offset, follower) in followers.enumerated() {
            follower.waiter.resume(returning: .finished(outputs.map { $0[offset + 1] }))
        }
        if queue.isEmpty {
            leaderActive = false
        } else {
            queue.removeFirst().waiter.resume(returning: .lead)
        }
        return try outputs.get()[0]
    }
}
