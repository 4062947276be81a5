import Crypto
import Foundation
import SwitchboardCore
import Testing

@Suite("Inbound sources end to end")
struct SourceForwardingTests {
    static let secret = "gh-webhook-secret"
    static let push = #"{"action":"opened","number":7,"repository":{"full_name":"acme/api"}}"#

    static func githubRequest(_ body: String = push, secret: String = secret, delivery: String = "d-1") -> InboundVerifier.Request {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return InboundVerifier.Request(
            headers: [
                "X-Hub-Signature-256": "sha256=" + mac.map { String(format: "%02x", $0) }.joined(),
                "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": delivery, "X-GitHub-Hook-ID": "42",
            ],
            body: Data(body.utf8))
    }

    @Test("a verified GitHub request reaches the destination signed with the destination's secret, with the provider headers")
    func forwarded() async throws {
        try await DispatchHarness.with { harness in
            let source = try await harness.switchboard.createSource(
                SourceDraft(name: "github", provider: .github, signingSecret: Self.secret), tenant: .defaultTenant)
            let destination = try await harness.switchboard.addDestination(
                toSource: source.id, tenant: .defaultTenant,
                draft: EndpointDraft(name: "pulls", url: harness.receiver.url("/pulls"), eventTypes: ["pull_request.*"]))
            let ignoring = try await harness.switchboard.addDestination(
                toSource: source.id, tenant: .defaultTenant,
                draft: EndpointDraft(name: "issues", url: harness.receiver.url("/issues"), eventTypes: ["issues.*"]))
            _ = try await harness.endpoint("/api-events")

            let result = try await harness.switchboard.ingest(slug: source.slug, request: Self.githubRequest())
            #expect(result.event.eventType == "pull_request.opened")
            #expect(result.deliveries.map(\.endpointID) == [destination.id])
            #expect(ignoring.sourceIDs == [source.id])

            let received = try #require(try await harness.receiver.waitForRequests(1, on: "/pulls").first)
            #expect(received.headers["x-switchboard-source-id"] == source.id)
            #expect(received.headers["x-switchboard-source-x-github-event"] == "pull_request")
            #expect(received.headers["x-switchboard-source-x-github-delivery"] == "d-1")
            let signed = WebhookSigner.signature(
                messageID: try #require(received.headers["webhook-id"]), timestamp: Int(try #require(received.headers["webhook-timestamp"]))!,
                body: received.body, secret: destination.secret)
            #expect(received.headers["webhook-signature"]?.contains(signed) == true)
            let body = try #require(JSONValue.parse(received.body))
            #expect(body["data"] == JSONValue.parse(Data(Self.push.utf8)))
            #expect(harness.receiver.requests(to: "/api-events").isEmpty && harness.receiver.requests(to: "/issues").isEmpty)
        }
    }

    @Test("a GitHub redelivery (same X-GitHub-Delivery) is acknowledged without a second delivery")
    func redelivery() async throws {
        try await DispatchHarness.with { harness in
            let source = try await harness.switchboard.createSource(
                SourceDraft(name: "github", provider: .github, signingSecret: Self.secret), tenant: .defaultTenant)
            _ = try await harness.switchboard.addDestination(
                toSource: source.id, tenant: .defaultTenant, draft: EndpointDraft(name: "all", url: harness.receiver.url("/all")))
            let first = try await harness.switchboard.ingest(slug: source.slug, request: Self.githubRequest())
            let again = try await harness.switchboard.ingest(slug: source.slug, request: Self.githubRequest())
            #expect(!first.isDuplicate && again.isDuplicate)
            #expect(again.event.id == first.event.id)
            let other = try await harness.switchboard.ingest(slug: source.slug, request: Self.githubRequest(delivery: "d-2"))
            #expect(!other.isDuplicate)
            _ = try await harness.receiver.waitForRequests(2, on: "/all")
            #expect(try await harness.switchboard.source(id: source.id, tenant: .defaultTenant).eventsReceived == 2)
        }
    }

    @Test("a refused request raises the source's count, keeps the reason and announces the change")
    func refused() async throws {
        try await DispatchHarness.with { harness in
            let source = try await harness.switchboard.createSource(
                SourceDraft(name: "github", provider: .github, signingSecret: Self.secret), tenant: .defaultTenant)
            let subscription = harness.switchboard.feed.subscribe(bufferSize: 16)
            defer { subscription.cancel() }
            await #expect(throws: SwitchboardError.self) {
                try await harness.switchboard.ingest(slug: source.slug, request: Self.githubRequest(secret: "not-the-secret"))
            }
            let stored = try await harness.switchboard.source(id: source.id, tenant: .defaultTenant)
            #expect(stored.rejectedCount == 1)
            #expect(stored.lastRejectionReason == "signature does not match (wrong secret or altered body)")
            // Refusals are written (and announced) in batches; flush the pending one now.
            await harness.switchboard.flushSourceRejections()
            var changes = subscription.changes.makeAsyncIterator()
            guard case .sourceChanged(let announced)? = await changes.next() else {
                Issue.record("expected a sourceChanged announcement first")
                return
            }
            #expect(announced.rejectedCount == 1)
        }
    }
}
