import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Standard Webhooks signing")
struct WebhookSignerTests {
    @Test("matches the Standard Webhooks specification's test vector")
    func specVector() {
        let signature = WebhookSigner.signature(
            messageID: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
            body: Data(#"{"test": 2432232314}"#.utf8), secret: Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test("new secrets are whsec_ and the base64 of 32 random bytes")
    func secretShape() {
        let first = WebhookSigner.generateSecret().reveal()
        let second = WebhookSigner.generateSecret().reveal()
        #expect(first.hasPrefix("whsec_"))
        #expect(Data(base64Encoded: String(first.dropFirst(6)))?.count == 32)
        #expect(first != second)
    }

    @Test("a secret never shows itself when printed")
    func redaction() {
        let secret = Secret("whsec_c2VjcmV0")
        #expect("\(secret)" == "whsec_…redacted")
        #expect(String(reflecting: secret) == "whsec_…redacted")
        #expect(!"\([secret])".contains("c2VjcmV0"))
    }

    func endpoint(auth: Endpoint.AuthMode = .signature, previous: Secret? = nil, expires: Date? = nil) -> Endpoint {
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        return Endpoint(
            id: "ep_1", tenantID: "default", name: "n", url: "http://127.0.0.1/x", authMode: auth,
            secret: Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), previousSecret: previous, previousSecretExpiresAt: expires,
            headers: ["X-Team": "billing"], createdAt: date, updatedAt: date)
    }

    let event = Event(
        id: "evt_1", tenantID: "default", eventType: "order.created", payload: Data(#"{"total":149.5,"id":"ord_1"}"#.utf8),
        createdAt: Date(timeIntervalSince1970: 1_800_000_000))

    @Test("the body wraps the payload byte for byte as data")
    func body() {
        let body = String(decoding: WebhookMessage.body(for: event), as: UTF8.self)
        #expect(body == #"{"id":"evt_1","type":"order.created","timestamp":"2027-01-15T08:00:00.000Z","data":{"total":149.5,"id":"ord_1"}}"#)
    }

    @Test("signature deliveries carry Standard Webhooks headers over the exact body")
    func signatureHeaders() {
        let now = Date(timeIntervalSince1970: 1_800_000_100)
        let message = WebhookMessage.make(event: event, endpoint: endpoint(), now: now, userAgent: "Switchboard/test")
        let headers = message.recordedHeaders
        #expect(headers["webhook-id"] == "evt_1")
        #expect(headers["webhook-timestamp"] == "1800000100")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["user-agent"] == "Switchboard/test")
        #expect(headers["x-team"] == Endpoint.redactedHeaderValue, "custom header values are masked in the recorded copy")
        #expect(message.headers.contains { $0.name == "x-team" && $0.value == "billing" }, "and sent as they are")
        #expect(headers["authorization"] == nil)
        let expected = WebhookSigner.signature(
            messageID: "evt_1", timestamp: 1_800_000_100, body: message.body, secret: Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        #expect(headers["webhook-signature"] == expected)
    }

    @Test("during a rotation's grace period both secrets sign, new first; afterwards only the new one")
    func gracePeriod() {
        let old = Secret("whsec_b2xkc2VjcmV0b2xkc2VjcmV0b2xkc2VjcmV0MTI=")
        let expiry = Date(timeIntervalSince1970: 1_800_000_500)
        let rotating = endpoint(previous: old, expires: expiry)
        let duringDate = expiry.addingTimeInterval(-1)
        let duringMessage = WebhookMessage.make(event: event, endpoint: rotating, now: duringDate, userAgent: "x")
        let timestamp = Int(duringDate.timeIntervalSince1970)
        let expectedNew = WebhookSigner.signature(messageID: "evt_1", timestamp: timestamp, body: duringMessage.body, secret: rotating.secret)
        let expectedOld = WebhookSigner.signature(messageID: "evt_1", timestamp: timestamp, body: duringMessage.body, secret: old)
        #expect(duringMessage.recordedHeaders["webhook-signature"] == "\(expectedNew) \(expectedOld)")
        let afterMessage = WebhookMessage.make(event: event, endpoint: rotating, now: expiry, userAgent: "x")
        let expectedAfter = WebhookSigner.signature(
            messageID: "evt_1", timestamp: Int(expiry.timeIntervalSince1970), body: afterMessage.body, secret: rotating.secret)
        #expect(afterMessage.recordedHeaders["webhook-signature"] == expectedAfter)
    }

    @Test("bearer endpoints get Authorization and no signature; the recorded copy is redacted")
    func bearer() {
        let message = WebhookMessage.make(event: event, endpoint: endpoint(auth: .bearer), now: Date(), userAgent: "x")
        #expect(message.headers.contains { $0.name == "authorization" && $0.value == "Bearer whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" })
        #expect(message.recordedHeaders["authorization"] == "Bearer …redacted")
        #expect(message.recordedHeaders["webhook-signature"] == nil)
    }
}
