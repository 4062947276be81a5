import Synchronization
import Testing
@testable import SwitchboardCore

@Suite("Group commit")
struct GroupCommitterTests {
    final class CommitLog: Sendable {
        let batches = Mutex<[[Int]]>([])
    }

    @Test("concurrent submissions share commits and each gets its own output")
    func batchesConcurrentSubmissions() async throws {
        let log = CommitLog()
        let committer = GroupCommitter<Int, Int>(maxBatchSize: 64) { inputs in
            log.batches.withLock { $0.append(inputs) }
            try await Task.sleep(for: .milliseconds(5))
            return inputs.map { $0 * 2 }
        }
        let outputs = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for value in 0..<500 { group.addTask { (value, try await committer.submit(value)) } }
            var collected: [Int: Int] = [:]
            for try await (input, output) in group { collected[input] = output }
            return collected
        }
        #expect(outputs.count == 500)
        #expect(outputs.allSatisfy { $0.value == $0.key * 2 })
        let batches = log.batches.withLock { $0 }
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<500))
        #expect(batches.count < 500, "500 concurrent submissions took \(batches.count) commits")
        #expect(batches.allSatisfy { $0.count <= 64 })
    }

    @Test("a failed commit fails every submission in that batch and the next batch still commits")
    func failurePropagates() async throws {
        struct Boom: Error {}
        let calls = Mutex(0)
        let committer = GroupCommitter<Int, Int>(maxBatchSize: 8) { inputs in
            let call = calls.withLock { $0 += 1; return $0 }
            if call == 1 { throw Boom() }
            return inputs
        }
        await #expect(throws: Boom.self) { try await committer.submit(1) }
        #expect(try await committer.submit(2) == 2)
    }
}
