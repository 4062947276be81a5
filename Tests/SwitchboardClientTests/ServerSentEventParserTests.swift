import NIOCore
import Testing

@testable import SwitchboardClient

@Suite("Server-sent event framing")
struct ServerSentEventParserTests {
    private func parse(_ chunks: [String]) throws -> [ServerSentEventParser.Event] {
        var parser = ServerSentEventParser()
        return try chunks.flatMap { try parser.consume(ByteBuffer(string: $0)) }
    }

    @Test("an event split across chunks anywhere comes out whole, once")
    func splitAnywhere() throws {
        let text = "event: attempt.recorded\ndata: {\"id\":\"att_1\"}\n\n"
        for cut in 1..<text.utf8.count {
            let bytes = Array(text.utf8)
            let chunks = [String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self)]
            #expect(try parse(chunks) == [.init(name: "attempt.recorded", data: "{\"id\":\"att_1\"}")], "cut at \(cut)")
        }
    }

    @Test("comments and keep-alives make no event; CRLF and CR end lines; data lines join with newlines")
    func framing() throws {
        let events = try parse([": connected\n\n", ": keep-alive\r\n\r\n", "event: a\r\ndata: one\r\ndata: two\r\n\r\n", "data: plain\r\r"])
        #expect(events == [.init(name: "a", data: "one\ntwo"), .init(name: "message", data: "plain")])
    }

    @Test("a line longer than the limit is an error, not unbounded memory")
    func lineLimit() {
        var parser = ServerSentEventParser(maxLineBytes: 16)
        #expect(throws: ServerSentEventParser.Failure.self) { try parser.consume(ByteBuffer(string: "data: " + String(repeating: "x", count: 32))) }
    }
}
