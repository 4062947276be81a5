import Foundation
import Testing

@testable import SwitchboardCore

@Suite("JSON text written by hand")
struct JSONTextTests {
    static let awkward = [
        "", "plain", "quote \" and backslash \\", "slash / stays", "line\nfeed\r\ttab", "\u{08}\u{0C}",
        "control \u{01}\u{1F}", "unicode é 漢字 🚀", "\u{7F} delete",
    ]

    @Test("a string literal is byte for byte what JSONEncoder writes", arguments: awkward)
    func stringMatchesEncoder(_ value: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(JSONText.string(value) == expected)
        #expect(try JSONDecoder().decode(String.self, from: Data(JSONText.string(value).utf8)) == value)
    }

    @Test("an object of strings has sorted keys, as JSONEncoder's .sortedKeys writes it")
    func objectMatchesEncoder() throws {
        let object = Dictionary(uniqueKeysWithValues: Self.awkward.enumerated().map { ("k\(9 - $0.offset)\($0.element)", $0.element) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(JSONText.object(object) == String(decoding: try encoder.encode(object), as: UTF8.self))
        #expect(JSONText.object([:]) == "{}")
    }

    @Test("an array of strings decodes back to the same strings")
    func arrayRoundTrips() throws {
        #expect(try JSONDecoder().decode([String].self, from: Data(JSONText.array(Self.awkward).utf8)) == Self.awkward)
        #expect(JSONText.array([String]()) == "[]")
    }

    @Test("a webhook body carries the payload byte for byte inside the envelope")
    func webhookBody() throws {
        let payload = Data(#"{"amount":12,"note":"a \"quoted\" / path"}"#.utf8)
        let event = Event(
            id: "evt_1", tenantID: .defaultTenant, eventType: "order.\"odd\"", payload: payload, origin: .api, status: .queued,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000.5))
        let body = WebhookMessage.body(for: event)
        let decoded = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        #expect(decoded?["id"] as? String == "evt_1")
        #expect(decoded?["type"] as? String == "order.\"odd\"")
        #expect(decoded?["timestamp"] as? String == "2023-11-14T22:13:20.500Z")
        #expect(String(decoding: body, as: UTF8.self).hasSuffix(#","data":"# + String(decoding: payload, as: UTF8.self) + "}"))
    }
}
