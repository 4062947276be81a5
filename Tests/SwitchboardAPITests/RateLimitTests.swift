import Foundation
import HTTPTypes
import SwitchboardAPI
import SwitchboardCore
import Testing

@Suite("Rate limits")
struct RateLimitTests {
    static func expectRateLimited(_ response: APIResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == .tooManyRequests, sourceLocation: sourceLocation)
        #expect(response.errorCode == "rate_limited", sourceLocation: sourceLocation)
        #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1, sourceLocation: sourceLocation)
        #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] != nil, sourceLocation: sourceLocation)
        #expect(response.headers[HTTPField.Name("RateLimit-Remaining")!] == "0", sourceLocation: sourceLocation)
        #expect(response.headers[HTTPField.Name("RateLimit-Reset")!] != nil, sourceLocation: sourceLocation)
    }

    @Test("writes are limited per API key with 429, Retry-After and RateLimit-*; reads and other keys are not")
    func perKeyWrites() async throws {
        let clock = ManualWallClock()
        let options = APIOptions(writeRateLimitPerSecond: 1, writeRateLimitBurst: 3, clock: clock)
        try await APIHarness.with(options: options) { api in
            for index in 0..<3 {
                let response = try await api.post("/v1/endpoints", #"{"url":"https://a.example/\#(index)","name":"e\#(index)"}"#)
                #expect(response.status == .created)
                #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] == "3")
                #expect(response.headers[HTTPField.Name("RateLimit-Remaining")!] == String(2 - index))
            }
            let limited = try await api.post("/v1/endpoints", #"{"url":"https://a.example/x","name":"x"}"#)
            Self.expectRateLimited(limited)
            #expect(limited.headers[HTTPField.Name("RateLimit-Limit")!] == "3")
            #expect(try await api.get("/v1/endpoints").status == .ok)
            #expect(try await api.post("/v1/endpoints", #"{"url":"https://a.example/y","name":"y"}"#, key: api.keys.admin).status == .created)
            #expect(try await api.switchboard.endpoints(tenant: .defaultTenant).count == 4)
            clock.advance(by: 1)
            #expect(try await api.post("/v1/endpoints", #"{"url":"https://a.example/z","name":"z"}"#).status == .created)
        }
    }

    @Test("failed authentication is limited per client address: past the burst even a good key gets 429 until it refills")
    func perAddressAuthFailures() async throws {
        let clock = ManualWallClock()
        let options = APIOptions(authFailureRateLimitPerSecond: 1, authFailureBurst: 3, clock: clock)
        try await APIHarness.with(options: options) { api in
            for index in 0..<3 {
                #expect(try await api.get("/v1/endpoints", key: "sbk_bad_\(index)").status == .unauthorized)
            }
            for index in 0..<100 {
                Self.expectRateLimited(try await api.get("/v1/endpoints", key: "sbk_bad_more_\(index)"))
            }
            Self.expectRateLimited(try await api.request(.get, "/v1/endpoints", key: nil))
            Self.expectRateLimited(try await api.get("/v1/endpoints"))
            clock.advance(by: 1)
            #expect(try await api.get("/v1/endpoints").status == .ok)
        }
    }

    @Test("refused /in requests are limited per source and counted in memory, written in batches")
    func perSourceRefusals() async throws {
        let clock = ManualWallClock(Date())
        let ledger = SourceRejectionLedger(ratePerSecond: 1, burst: 3, flushThreshold: 5, clock: clock)
        try await APIHarness.with(sourceRejections: ledger) { api in
            let created = try await api.post("/v1/sources", #"{"name":"gh","provider":"github","signing_secret":"a-long-enough-github-secret"}"#).json()
            let id = try #require(created["id"]?.string)
            let slug = try #require(created["slug"]?.string)
            let other = try await api.post("/v1/sources", #"{"name":"gh2","provider":"github","signing_secret":"a-long-enough-github-secret"}"#).json()
            let forged: HTTPFields = [HTTPField.Name("X-Hub-Signature-256")!: "sha256=00", HTTPField.Name("X-GitHub-Event")!: "push"]
            for _ in 0..<3 {
                let response = try await api.request(.post, "/in/\(slug)", key: nil, body: "{}", headers: forged)
                #expect(response.status == .unauthorized)
            }
            // Nothing written yet: the store still has no refusal, while the API already shows them.
            #expect(try await api.store.source(id: id, tenant: .defaultTenant)?.rejectedCount == 0)
            #expect(try await api.get("/v1/sources/\(id)").json()["rejected_count"]?.int == 3)
            let limited = try await api.request(.post, "/in/\(slug)", key: nil, body: "{}", headers: forged)
            Self.expectRateLimited(limited)
            // The fifth refusal reaches the batch threshold: all five are written in one store call.
            _ = try await api.request(.post, "/in/\(slug)", key: nil, body: "{}", headers: forged)
            #expect(try await api.store.source(id: id, tenant: .defaultTenant)?.rejectedCount == 5)
            #expect(ledger.pendingCount == 0)
            // Another source has its own bucket.
            let otherSlug = try #require(other["slug"]?.string)
            #expect(try await api.request(.post, "/in/\(otherSlug)", key: nil, body: "{}", headers: forged).status == .unauthorized)
            await api.switchboard.flushSourceRejections()
            #expect(try await api.store.source(id: try #require(other["id"]?.string), tenant: .defaultTenant)?.rejectedCount == 1)
            clock.advance(by: 1)
            #expect(try await api.request(.post, "/in/\(slug)", key: nil, body: "{}", headers: forged).status == .unauthorized)
        }
    }

    @Test("the limiter refills, forgets full buckets first and stays bounded")
    func limiterBounded() {
        let clock = ManualWallClock()
        let limiter = RateLimiter(ratePerSecond: 2, burst: 2, maxKeys: 100, clock: clock)
        #expect(limiter.acquire("a").allowed && limiter.acquire("a").allowed)
        let refused = limiter.acquire("a")
        #expect(!refused.allowed && refused.retryAfterSeconds == 1 && refused.remaining == 0 && refused.resetSeconds == 1)
        clock.advance(by: 0.5)
        #expect(limiter.acquire("a").allowed)
        for index in 0..<1000 { _ = limiter.acquire("k\(index)") }
        #expect(limiter.trackedKeys <= 100)
    }
}
