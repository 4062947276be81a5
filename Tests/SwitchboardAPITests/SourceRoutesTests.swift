import Crypto
import Foundation
import HTTPTypes
import SwitchboardAPI
import SwitchboardCore
import Testing

@Suite("Inbound sources")
struct SourceRoutesTests {
    static let stripeSecret = "whsec_test_stripe_secret"
    static let options = APIOptions(publicBaseURL: "https://hooks.example.com/")

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// `Stripe-Signature` for `body` at `timestamp`, as Stripe computes it.
    static func stripeSignature(_ body: String, timestamp: Int = Int(Date().timeIntervalSince1970), secret: String = stripeSecret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=\(hex(mac))"
    }

    static let charge = #"{"id":"evt_1Abc","type":"charge.succeeded","data":{"object":{"amount":2000}}}"#

    /// Creates a Stripe source and one destination; returns (source id, slug).
    func stripeSource(_ api: APIHarness, destinationTypes: String = "[]") async throws -> (id: String, slug: String, destination: String) {
        let created = try await api.post("/v1/sources", #"{"name":"stripe-prod","provider":"stripe","signing_secret":"\#(Self.stripeSecret)"}"#)
        #expect(created.status == .created)
        let source = try created.json()
        let id = try #require(source["id"]?.string)
        let destination = try await api.post("/v1/sources/\(id)/destinations", #"{"url":"https://receiver.example/stripe","event_types":\#(destinationTypes)}"#)
        #expect(destination.status == .created)
        return (id, try #require(source["slug"]?.string), try #require(try destination.json()["id"]?.string))
    }

    func ingest(_ api: APIHarness, slug: String, body: String, headers: HTTPFields) async throws -> APIResponse {
        try await api.request(.post, "/in/\(slug)", key: nil, body: body, headers: headers)
    }

    @Test("create answers 201 with the public ingest URL, without echoing a given secret; list and read never show it")
    func create() async throws {
        try await APIHarness.with(options: Self.options) { api in
            let response = try await api.post("/v1/sources", #"{"name":"stripe-prod","provider":"stripe","signing_secret":"\#(Self.stripeSecret)","retention_days":7}"#)
            #expect(response.status == .created)
            let source = try response.json()
            let slug = try #require(source["slug"]?.string)
            #expect(source["id"]?.string?.hasPrefix("src_") == true)
            #expect(slug.count >= 24)
            #expect(source["url"]?.string == "https://hooks.example.com/in/\(slug)")
            #expect(source["verified"]?.bool == true)
            #expect(source["retention_days"]?.int == 7)
            #expect(source["events_received"]?.int == 0 && source["rejected_count"]?.int == 0)
            #expect(source["signing_secret"] == nil)
            #expect(!response.body.contains(Self.stripeSecret))
            let list = try await api.get("/v1/sources")
            #expect(try list.json()["sources"]?.array?.count == 1)
            #expect(!list.body.contains(Self.stripeSecret))
        }
    }

    @Test("a standard-webhooks source without a secret gets one generated and shown once")
    func generatedSecret() async throws {
        try await APIHarness.with { api in
            let response = try await api.post("/v1/sources", #"{"name":"partner","provider":"standard-webhooks"}"#)
            #expect(response.status == .created)
            let source = try response.json()
            let secret = try #require(source["signing_secret"]?.string)
            #expect(secret.hasPrefix("whsec_"))
            let read = try await api.get("/v1/sources/\(try #require(source["id"]?.string))")
            #expect(!read.body.contains(secret))
        }
    }

    @Test("bad source bodies are 422s that name the field")
    func validation() async throws {
        try await APIHarness.with { api in
            let cases: [(String, String)] = [
                (#"{"provider":"stripe","signing_secret":"whsec_abcdefgh"}"#, "name"),
                (#"{"name":"x"}"#, "provider"),
                (#"{"name":"x","provider":"paypal"}"#, "provider"),
                (#"{"name":"x","provider":"stripe"}"#, "signing_secret"),
                (#"{"name":"x","provider":"none","signing_secret":"whsec_abcdefgh"}"#, "signing_secret"),
                (#"{"name":"x","provider":"standard-webhooks","signing_secret":"not-base64!"}"#, "signing_secret"),
                (#"{"name":"x","provider":"github","signing_secret":"s3cr3t-value","retention_days":0}"#, "retention_days"),
                (#"{"name":"x","provider":"hmac-sha256","hmac":{"signature_header":"bad header"}}"#, "hmac.signature_header"),
                (#"{"name":"x","provider":"hmac-sha256","hmac":{"encoding":"rot13"}}"#, "hmac.encoding"),
            ]
            for (body, field) in cases {
                let response = try await api.post("/v1/sources", body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(response.errorMessage?.hasPrefix(field) == true, "\(body): \(response.errorMessage ?? "-")")
            }
            let endpoint = try await api.post("/v1/endpoints", #"{"url":"https://example.com/h","source_ids":["src_nope"]}"#)
            #expect(endpoint.status == .unprocessableContent)
            #expect(endpoint.errorMessage?.hasPrefix("source_ids") == true)
        }
    }

    @Test("a verified Stripe request is stored, counted and fanned out to the source's destinations only")
    func verifiedIngest() async throws {
        try await APIHarness.with { api in
            let (id, slug, destination) = try await stripeSource(api)
            let plain = try #require(try await api.createEndpoint(url: "https://receiver.example/plain")["id"]?.string)
            let response = try await ingest(api, slug: slug, body: Self.charge, headers: [HTTPField.Name("Stripe-Signature")!: Self.stripeSignature(Self.charge)])
            #expect(response.status == .accepted)
            let eventID = try #require(try response.json()["id"]?.string)

            let detail = try await api.switchboard.eventDetail(id: eventID, tenant: .defaultTenant)
            #expect(detail.event.eventType == "charge.succeeded")
            #expect(detail.event.origin == .source && detail.event.sourceID == id)
            #expect(detail.event.payload == Data(Self.charge.utf8), "the provider body is kept byte for byte")
            #expect(detail.deliveries.map(\.endpointID) == [destination])
            #expect(!detail.deliveries.contains { $0.endpointID == plain })
            #expect(detail.event.sourceHeaders["stripe-signature"] != nil)

            let source = try await api.get("/v1/sources/\(id)").json()
            #expect(source["events_received"]?.int == 1)
            #expect(source["last_received_at"] != .null)
            let listed = try await api.get("/v1/events?source_id=\(id)").json()
            #expect(listed["events"]?[0]?["source_id"]?.string == id)
        }
    }

    @Test("a redelivered Stripe event is acknowledged with the original and not fanned out twice")
    func dedupe() async throws {
        try await APIHarness.with { api in
            let (_, slug, _) = try await stripeSource(api)
            let headers: HTTPFields = [HTTPField.Name("Stripe-Signature")!: Self.stripeSignature(Self.charge)]
            let first = try await ingest(api, slug: slug, body: Self.charge, headers: headers)
            let second = try await ingest(api, slug: slug, body: Self.charge, headers: [HTTPField.Name("Stripe-Signature")!: Self.stripeSignature(Self.charge)])
            #expect(first.status == .accepted)
            #expect(second.status == .ok)
            #expect(try second.json()["id"] == first.json()["id"])
            #expect(try await api.switchboard.events(EventQuery(tenant: .defaultTenant)).total == 1)
        }
    }

    @Test("refused requests get a generic 401, are counted with the reason for the operator, and are not stored")
    func refusals() async throws {
        try await APIHarness.with { api in
            let (id, slug, _) = try await stripeSource(api)
            let stale = Int(Date().timeIntervalSince1970) - 3600
            let attempts: [HTTPFields] = [
                [:],
                [HTTPField.Name("Stripe-Signature")!: "garbage"],
                [HTTPField.Name("Stripe-Signature")!: Self.stripeSignature(Self.charge, secret: "whsec_wrong_secret")],
                [HTTPField.Name("Stripe-Signature")!: Self.stripeSignature(Self.charge, timestamp: stale)],
                [HTTPField.Name("Stripe-Signature")!: Self.stripeSignature(Self.charge.replacingOccurrences(of: "2000", with: "1"))],
            ]
            for headers in attempts {
                let response = try await ingest(api, slug: slug, body: Self.charge, headers: headers)
                #expect(response.status == .unauthorized)
                #expect(response.errorCode == "verification_failed")
                #expect(response.errorMessage == "the request could not be verified")
            }
            let source = try await api.get("/v1/sources/\(id)").json()
            #expect(source["rejected_count"]?.int == attempts.count)
            #expect(source["last_rejection_reason"]?.string?.contains("no v1 signature matches") == true)
            #expect(try await api.switchboard.events(EventQuery(tenant: .defaultTenant)).total == 0)

            let unknown = try await ingest(api, slug: "in_doesnotexist", body: Self.charge, headers: [:])
            #expect(unknown.status == .notFound)
        }
    }

    @Test("a verified body that is not JSON is a 400 that says so")
    func notJSON() async throws {
        try await APIHarness.with { api in
            let created = try await api.post("/v1/sources", #"{"name":"gh","provider":"github","signing_secret":"gh-secret-value"}"#)
            let slug = try #require(try created.json()["slug"]?.string)
            let body = "payload=%7B%7D"
            let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data("gh-secret-value".utf8)))
            let response = try await ingest(
                api, slug: slug, body: body,
                headers: [HTTPField.Name("X-Hub-Signature-256")!: "sha256=\(Self.hex(mac))", HTTPField.Name("X-GitHub-Event")!: "push"])
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "body_not_json")
        }
    }

    @Test("rotation keeps the old secret valid during the grace period; a source event replays to its destinations")
    func rotateAndReplay() async throws {
        try await APIHarness.with { api in
            let (id, slug, destination) = try await stripeSource(api)
            let rotated = try await api.post("/v1/sources/\(id)/rotate-secret", #"{"signing_secret":"whsec_new_stripe_secret","grace_seconds":600}"#)
            #expect(rotated.status == .ok)
            #expect(try rotated.json()["signing_secret"] == nil)
            #expect(try rotated.json()["previous_secret_expires_at"] != .null)
            for secret in [Self.stripeSecret, "whsec_new_stripe_secret"] {
                let body = Self.charge.replacingOccurrences(of: "evt_1Abc", with: "evt_\(secret.count)")
                let response = try await ingest(api, slug: slug, body: body, headers: [HTTPField.Name("Stripe-Signature")!: Self.stripeSignature(body, secret: secret)])
                #expect(response.status == .accepted, "signed with \(secret)")
            }

            let eventID = try #require(try await api.get("/v1/events?source_id=\(id)").json()["events"]?[0]?["id"]?.string)
            let replay = try await api.post("/v1/sources/\(id)/events/\(eventID)/replay", nil)
            #expect(replay.status == .accepted)
            let answer = try replay.json()
            #expect(answer["queued"]?.int == 1)
            #expect(answer["endpoint_ids"] == .array([.string(destination)]))
            #expect(answer["replay_of"]?.string == eventID)

            let stranger = try #require(try await api.createEndpoint(url: "https://receiver.example/other")["id"]?.string)
            let refused = try await api.post("/v1/sources/\(id)/events/\(eventID)/replay", #"{"endpoint_ids":["\#(stranger)"]}"#)
            #expect(refused.status == .unprocessableContent)
            let plainEvent = try #require(try await api.publish()["id"]?.string)
            let notFromSource = try await api.post("/v1/sources/\(id)/events/\(plainEvent)/replay", nil)
            #expect(notFromSource.status == .notFound)
        }
    }

    @Test("sources are tenant-scoped; a deleted source's URL stops answering")
    func scopingAndDelete() async throws {
        try await APIHarness.with { api in
            let (id, slug, _) = try await stripeSource(api)
            #expect(try await api.get("/v1/sources/\(id)", key: api.keys.otherTenant).status == .notFound)
            #expect(try await api.delete("/v1/sources/\(id)", key: api.keys.otherTenant).status == .notFound)
            #expect(try await api.post("/v1/sources", #"{"name":"x","provider":"none"}"#, key: api.keys.reader).status == .forbidden)
            #expect(try await api.delete("/v1/sources/\(id)").status == .noContent)
            let after = try await ingest(api, slug: slug, body: Self.charge, headers: [HTTPField.Name("Stripe-Signature")!: Self.stripeSignature(Self.charge)])
            #expect(after.status == .notFound)
        }
    }
}
