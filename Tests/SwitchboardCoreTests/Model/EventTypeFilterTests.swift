import Testing
@testable import SwitchboardCore

@Suite("Event type subscriptions")
struct EventTypeFilterTests {
    @Test("an empty list subscribes to everything")
    func emptyMatchesAll() {
        #expect(EventTypeFilter([]).matches("order.created"))
        #expect(EventTypeFilter(["*"]).matches("anything"))
    }

    @Test("exact names match only themselves")
    func exact() {
        let filter = EventTypeFilter(["order.created", "invoice.paid"])
        #expect(filter.matches("order.created"))
        #expect(filter.matches("invoice.paid"))
        #expect(!filter.matches("order.updated"))
        #expect(!filter.matches("order.created.v2"))
    }

    @Test("prefix wildcards match everything under the prefix, not the prefix itself")
    func wildcard() {
        let filter = EventTypeFilter(["order.*"])
        #expect(filter.matches("order.created"))
        #expect(filter.matches("order.line.added"))
        #expect(!filter.matches("order"))
        #expect(!filter.matches("orders.created"))
        #expect(!filter.matches("invoice.paid"))
    }

    @Test("pattern validation rejects empty, spaced and misplaced wildcards")
    func validation() {
        #expect(EventTypeFilter.isValidPattern("order.created"))
        #expect(EventTypeFilter.isValidPattern("order.*"))
        #expect(!EventTypeFilter.isValidPattern(""))
        #expect(!EventTypeFilter.isValidPattern("order created"))
        #expect(!EventTypeFilter.isValidPattern("or*er"))
        #expect(!EventTypeFilter.isValidPattern(".*"))
    }

    @Test("endpoint drafts name the field that is wrong")
    func draftValidation() {
        #expect(throws: SwitchboardError.invalid("url", "must be an absolute http:// or https:// URL with a host, at most 2048 characters")) {
            try EndpointDraft(name: "n", url: "ftp://example.com").validate()
        }
        #expect((try? EndpointDraft(name: "", url: "http://127.0.0.1").validate()) == nil)
        #expect((try? EndpointDraft(name: String(repeating: "x", count: 129), url: "http://127.0.0.1").validate()) == nil)
        #expect((try? EndpointDraft(name: "ok", url: "http://127.0.0.1:3000/hooks").validate()) != nil)
        #expect((try? EndpointDraft(id: "bad id", name: "ok", url: "http://127.0.0.1").validate()) == nil)
        #expect((try? EndpointDraft(name: "ok", url: "http://127.0.0.1", headers: ["webhook-signature": "x"]).validate()) == nil)
    }
}
