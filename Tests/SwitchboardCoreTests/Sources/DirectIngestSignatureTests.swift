import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Direct signed ingest signatures")
struct DirectIngestSignatureTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let secret = Secret("whsec_ZGlyZWN0LWluZ2VzdC1zZWNyZXQtdGVzdC1ieXRlcw==")
    let body = Data(#"{"event_type":"order.created","payload":{"order_id":"ORD-001"}}"#.utf8)

    func check(signature: String?, timestamp: String?, body: Data? = nil, secrets: [Secret]? = nil) -> String? {
        do {
            try DirectIngestSignature.verify(signature: signature, timestamp: timestamp, body: body ?? self.body, secrets: secrets ?? [secret], now: now)
            return nil
        } catch { return error.reason }
    }

    @Test("matches openssl dgst -sha256 -hmac and Python's hmac for the same input")
    func opensslCompatible() {
        // printf '%s' "1800000000.$BODY" | openssl dgst -sha256 -hmac "$SECRET"
        let signature = DirectIngestSignature.sign(timestamp: 1_800_000_000, body: body, secret: secret)
        #expect(signature == "6522f799a89d21f0bb3cf52467304f7f145095726855b90ec8320e462747b2f9")
        #expect(check(signature: signature, timestamp: "1800000000") == nil)
        #expect(check(signature: signature.uppercased(), timestamp: "1800000000") == nil)
    }

    @Test("a tampered body, a wrong secret, a stale or malformed timestamp and missing headers are refused")
    func refusals() {
        let t = "1800000000"
        let signature = DirectIngestSignature.sign(timestamp: 1_800_000_000, body: body, secret: secret)
        #expect(check(signature: signature, timestamp: t, body: Data("{}".utf8))?.contains("does not match") == true)
        #expect(check(signature: signature, timestamp: t, secrets: [Secret("whsec_b3RoZXI=")])?.contains("does not match") == true)
        let stale = DirectIngestSignature.sign(timestamp: 1_799_999_600, body: body, secret: secret)
        #expect(check(signature: stale, timestamp: "1799999600")?.contains("tolerance") == true)
        #expect(check(signature: signature, timestamp: "yesterday")?.contains("malformed") == true)
        #expect(check(signature: "xyz", timestamp: t)?.contains("not hex") == true)
        #expect(check(signature: nil, timestamp: t)?.contains("missing") == true)
    }

    @Test("during a rotation's grace period the previous secret still verifies")
    func rotation() {
        let old = Secret("whsec_b2xkLXNlY3JldA==")
        let signature = DirectIngestSignature.sign(timestamp: 1_800_000_000, body: body, secret: old)
        #expect(check(signature: signature, timestamp: "1800000000", secrets: [secret, old]) == nil)
        #expect(check(signature: signature, timestamp: "1800000000", secrets: [secret]) != nil)
    }
}
