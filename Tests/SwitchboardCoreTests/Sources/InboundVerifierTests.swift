import Crypto
import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Inbound provider verification")
struct InboundVerifierTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let secret = "whsec_c3RyaXBlLXRlc3Qtc2VjcmV0LWJ5dGVzLTEyMzQ1Ng=="
    let body = Data(#"{"id":"evt_1NVwj","type":"invoice.paid","action":"opened","data":{"amount":4200}}"#.utf8)

    func hmac(_ message: Data, key: Data) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

    func stripeHeader(timestamp: Int, body: Data, secret: String) -> String {
        var signed = Data("\(timestamp).".utf8)
        signed.append(body)
        return "t=\(timestamp),v1=\(hex(hmac(signed, key: Data(secret.utf8)))),v0=deadbeef"
    }

    func verify(_ provider: SourceProvider, _ headers: [String: String], body: Data? = nil, options: GenericHMACOptions = .init()) -> Result<InboundVerifier.Verified, InboundVerifier.Failure> {
        let verifier = InboundVerifier(provider: provider, secret: Secret(secret), options: options)
        do { return .success(try verifier.verify(.init(headers: headers, body: body ?? self.body), now: now)) } catch { return .failure(error) }
    }

    func reason(_ result: Result<InboundVerifier.Verified, InboundVerifier.Failure>) -> String? {
        if case .failure(let failure) = result { return failure.reason }
        return nil
    }

    @Test("Stripe: valid, tampered, wrong secret, stale, missing and malformed header")
    func stripe() throws {
        let t = Int(now.timeIntervalSince1970) - 10
        let valid = try verify(.stripe, ["Stripe-Signature": stripeHeader(timestamp: t, body: body, secret: secret)]).get()
        #expect(valid.eventType == "invoice.paid")
        #expect(valid.dedupeKey == "evt_1NVwj")
        #expect(reason(verify(.stripe, ["Stripe-Signature": stripeHeader(timestamp: t, body: body, secret: secret)], body: Data(body.reversed()))) != nil)
        #expect(reason(verify(.stripe, ["Stripe-Signature": stripeHeader(timestamp: t, body: body, secret: "whsec_other")]))?.contains("no v1 signature matches") == true)
        let stale = Int(now.timeIntervalSince1970) - 301
        #expect(reason(verify(.stripe, ["Stripe-Signature": stripeHeader(timestamp: stale, body: body, secret: secret)]))?.contains("tolerance") == true)
        #expect(reason(verify(.stripe, [:])) == "missing Stripe-Signature header")
        #expect(reason(verify(.stripe, ["Stripe-Signature": "v1=abc"]))?.contains("malformed") == true)
    }

    @Test("GitHub: sha256 over the body, type from the event header and action")
    func github() throws {
        let signature = "sha256=" + hex(hmac(body, key: Data(secret.utf8)))
        let headers = ["X-Hub-Signature-256": signature, "X-GitHub-Event": "issues", "X-GitHub-Delivery": "72d3162e"]
        let valid = try verify(.github, headers).get()
        #expect(valid.eventType == "issues.opened")
        #expect(valid.dedupeKey == "72d3162e")
        #expect(valid.forwardedHeaders["x-github-event"] == "issues")
        #expect(reason(verify(.github, headers, body: Data("{}".utf8))) != nil)
        #expect(reason(verify(.github, ["X-Hub-Signature-256": "sha1=abc", "X-GitHub-Event": "issues"]))?.contains("malformed") == true)
        #expect(reason(verify(.github, ["X-GitHub-Event": "issues"])) == "missing X-Hub-Signature-256 header")
    }

    @Test("Shopify: base64 HMAC over the body, type from the topic")
    func shopify() throws {
        let headers = [
            "X-Shopify-Hmac-Sha256": hmac(body, key: Data(secret.utf8)).base64EncodedString(), "X-Shopify-Topic": "orders/create",
            "X-Shopify-Webhook-Id": "b54557e4",
        ]
        let valid = try verify(.shopify, headers).get()
        #expect(valid.eventType == "orders.create")
        #expect(valid.dedupeKey == "b54557e4")
        #expect(reason(verify(.shopify, headers.merging(["X-Shopify-Hmac-Sha256": "%%%"]) { $1 }))?.contains("malformed") == true)
        #expect(reason(verify(.shopify, headers, body: Data("{}".utf8))) != nil)
    }

    @Test("Standard Webhooks: any matching v1 entry, with the timestamp tolerance")
    func standardWebhooks() throws {
        let t = Int(now.timeIntervalSince1970)
        let good = WebhookSigner.signature(messageID: "msg_1", timestamp: t, body: body, secret: Secret(secret))
        let other = WebhookSigner.signature(messageID: "msg_1", timestamp: t, body: body, secret: Secret("whsec_b3RoZXI="))
        let headers = ["webhook-id": "msg_1", "webhook-timestamp": "\(t)", "webhook-signature": "\(other) \(good)"]
        let valid = try verify(.standardWebhooks, headers).get()
        #expect(valid.eventType == "invoice.paid")
        #expect(valid.dedupeKey == "msg_1")
        #expect(reason(verify(.standardWebhooks, headers.merging(["webhook-signature": other]) { $1 })) != nil)
        #expect(reason(verify(.standardWebhooks, headers.merging(["webhook-timestamp": "\(t - 400)"]) { $1 }))?.contains("tolerance") == true)
        #expect(reason(verify(.standardWebhooks, headers.merging(["webhook-timestamp": "soon"]) { $1 }))?.contains("malformed") == true)
        #expect(reason(verify(.standardWebhooks, ["webhook-id": "msg_1"]))?.contains("missing") == true)
    }

    @Test("generic hmac-sha256: configurable header and encoding")
    func generic() throws {
        let options = GenericHMACOptions(signatureHeader: "X-Acme-Signature", encoding: .base64, eventTypeHeader: "X-Acme-Event", idHeader: "X-Acme-Id")
        let signature = hmac(body, key: Data(secret.utf8)).base64EncodedString()
        let valid = try verify(.hmacSHA256, ["X-Acme-Signature": signature, "X-Acme-Id": "42"], options: options).get()
        #expect(valid.eventType == "invoice.paid")
        #expect(valid.dedupeKey == "42")
        let hexOptions = GenericHMACOptions(signatureHeader: "X-Sig", encoding: .hex)
        #expect((try? verify(.hmacSHA256, ["X-Sig": "sha256=" + hex(hmac(body, key: Data(secret.utf8)))], options: hexOptions).get()) != nil)
        #expect(reason(verify(.hmacSHA256, ["X-Sig": "zz"], options: hexOptions))?.contains("malformed") == true)
        #expect(reason(verify(.hmacSHA256, [:], options: hexOptions)) == "missing X-Sig header")
    }

    @Test("none: accepts any request unverified, with the type from the body when it has one")
    func unverified() throws {
        #expect(try verify(.none, [:]).get().eventType == "invoice.paid")
        #expect(try verify(.none, [:], body: Data("not json".utf8)).get().eventType == "unknown")
        #expect(try verify(.none, [:], body: Data(#"{"type":"bad type!"}"#.utf8)).get().eventType == "unknown")
    }
}
