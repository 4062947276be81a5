import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// Properties every frame has, at many sizes and with hostile text: no line wider than
/// the terminal, no control characters, one footer line.
@Suite struct FrameInvariantTests {
    static let flashSecondLine = "SECOND-LINE-OF-THE-FLASH"

    /// The sample state with very long, wide and hostile names, URLs, types and payloads.
    static func hostileState() -> ConsoleState {
        var state = Fixtures.state()
        let name = String(repeating: "Zürich-東京-🚀-e\u{301}-\u{1B}[31mred\u{1B}[0m-\u{202E}rtl-\t-", count: 12)
        let hostile = Endpoint(
            id: Fixtures.id("ep", 66), tenantID: "tenant-with-a-rather-long-name-for-columns", name: name,
            url: "https://" + String(repeating: "sub.", count: 60) + "例え.jp:8443/" + String(repeating: "path/", count: 40),
            description: "line\nbreak", secret: Secret("whsec_hostile"), failingSince: Fixtures.at(10),
            createdAt: Fixtures.at(10), updatedAt: Fixtures.at(10))
        state.endpoints.append(hostile)
        var event = Fixtures.event(0)
        event.id = Fixtures.id("evt", 666)
        event.tenantID = hostile.tenantID
        event.eventType = String(repeating: "very.long.type-", count: 17)
        event.payload = Data(#"{"text":"\u001b[2J\u001b[H wiped? 東京🚀","nested":{"deep":[1,2,3,{"k":"\#(String(repeating: "x", count: 500))"}]}}"#.utf8)
        state.events.rows.insert(event, at: 0)
        state.tallies[event.id] = DeliveryTally([])
        Fixtures.withSources(&state, ingestBaseURL: "https://" + String(repeating: "ingest.", count: 30) + "例え.jp")
        state.sources.append(
            Source(
                id: Fixtures.id("src", 66), tenantID: hostile.tenantID, name: name, provider: .none, signingSecret: Secret(""),
                slug: "in_" + String(repeating: "東", count: 40), retentionDays: 9999, eventsReceived: Int.max, rejectedCount: Int.max,
                lastRejectionReason: "reason \u{1B}[2J\n" + name, lastRejectedAt: Fixtures.at(1), lastReceivedAt: Fixtures.at(2),
                createdAt: Fixtures.at(10), updatedAt: Fixtures.at(1)))
        state.events.rows[0].sourceID = Fixtures.id("src", 66)
        state.flash = Flash(
            message: "Replay failed: \u{1B}[31mboom\u{1B}[0m\n\(flashSecondLine) " + String(repeating: "東京", count: 80),
            kind: .error, expiresAt: Fixtures.now.addingTimeInterval(60))
        Reducer.reanchorAll(&state)
        return state
    }

    /// States to draw at each size: list panes, detail, help, confirm, typed prompt, filter.
    static func scenarios(_ base: ConsoleState, size: TerminalSize) -> [(String, ConsoleState)] {
        var sized = base
        _ = Reducer.reduce(&sized, .resize(size))
        func after(_ keys: [Key]) -> ConsoleState {
            var state = sized
            Fixtures.press(keys, &state)
            return state
        }
        let longFilter = "endpoint:" + String(repeating: "東京", count: 60)
        return [
            ("panes", sized),
            ("endpoints", after([.character("1"), .character("G")])),
            ("detail", after([.enter, .pageDown])),
            ("endpoint detail", after([.character("1"), .character("G"), .enter])),
            ("sources", after([.character("s"), .character("G")])),
            ("source detail", after([.character("s"), .character("G"), .enter])),
            ("help", after([.character("?")])),
            ("confirm", after([.character("r")])),
            ("typed", after([.character("1"), .character("G"), .character("R")] + Fixtures.typing(String(repeating: "名", count: 90)))),
            ("filter", after([.character("/")] + Fixtures.typing(longFilter))),
            ("filter error", after([.character("/")] + Fixtures.typing("status:nope since:yesterday bogus:1 " + longFilter))),
            ("help scrolled", after([.character("?")] + Array(repeating: .character("j"), count: 30))),
            ("retry or replay", after([.down, .down, .down, .character("r")])),
            ("recover", after([.character("1"), .character("B")] + Fixtures.typing(String(repeating: "名", count: 90)))),
            ("recover name", after([.character("1"), .character("B"), .enter] + Fixtures.typing(String(repeating: "名", count: 90)))),
            ("pause", after([.character("1"), .character("p")])),
        ]
    }

    static let columns = Array(stride(from: 40, through: 200, by: 8)) + [59, 60, 99, 100, 101, 199]
    static let rows = Array(stride(from: 10, through: 60, by: 5)) + [15, 16, 19, 20, 23, 24]

    @Test func noLineEverExceedsTheWidth() {
        let base = Self.hostileState()
        var checked = 0
        for columns in Self.columns {
            for rows in Self.rows {
                let size = TerminalSize(columns: columns, rows: rows)
                for (name, state) in Self.scenarios(base, size: size) {
                    let frame = render(state)
                    checked += 1
                    guard frame.width == columns, frame.height == rows else {
                        Issue.record("\(name) at \(columns)×\(rows): frame is \(frame.width)×\(frame.height)")
                        continue
                    }
                    for y in 0..<rows {
                        let line = frame.text(ofRow: y)
                        let width = TextWidth.of(line)
                        if width != columns {
                            Issue.record("\(name) at \(columns)×\(rows): row \(y) is \(width) columns: \(line)")
                        }
                        if line.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                            Issue.record("\(name) at \(columns)×\(rows): row \(y) holds a control character")
                        }
                        for x in 0..<columns where frame[x, y].isContinuation {
                            if x == 0 || TextWidth.of(frame[x - 1, y].character) != 2 {
                                Issue.record("\(name) at \(columns)×\(rows): stray continuation cell at \(x),\(y)")
                            }
                        }
                    }
                    if let cursor = frame.cursor, !(0..<columns).contains(cursor.x) || !(0..<rows).contains(cursor.y) {
                        Issue.record("\(name) at \(columns)×\(rows): cursor outside the frame at \(cursor)")
                    }
                }
            }
        }
        #expect(checked == Self.columns.count * Self.rows.count * 16)
    }

    @Test func theFooterIsOneLine() {
        let base = Self.hostileState()
        for columns in Self.columns {
            for rows in Self.rows where rows >= Layout.minimum.rows && columns >= Layout.minimum.columns {
                var state = base
                _ = Reducer.reduce(&state, .resize(TerminalSize(columns: columns, rows: rows)))
                let frame = render(state)
                let footer = frame.text(ofRow: rows - 1)
                #expect(footer.hasPrefix(" Replay failed: ?[31mboom?[0m "), "\(columns)×\(rows): \(footer)")
                for y in 0..<(rows - 1) {
                    #expect(!frame.text(ofRow: y).contains("SECOND-LINE"), "flash text leaked to row \(y) at \(columns)×\(rows)")
                }
                #expect(Set(frame.styleCodes(ofRow: rows - 1)) == [StyleRole.flashError.code])
            }
        }
    }

    @Test func headerAndFooterKeepTheirRowsAtEverySize() {
        let state = Fixtures.state()
        for columns in Self.columns {
            for rows in Self.rows where rows >= Layout.minimum.rows && columns >= Layout.minimum.columns {
                var sized = state
                _ = Reducer.reduce(&sized, .resize(TerminalSize(columns: columns, rows: rows)))
                let frame = render(sized)
                #expect(frame.text(ofRow: 0).hasPrefix(" switchboard "))
                #expect(frame.text(ofRow: rows - 1).hasPrefix(" ? help"))
                #expect(frame.text(ofRow: rows - 1).contains("q quit"), "q quit must always be hinted at \(columns)×\(rows)")
            }
        }
    }

    @Test func frameClipsWideCharactersAndEscapes() {
        var frame = Frame(width: 6, height: 2)
        #expect(frame.put("ab東京", x: 0, y: 0, role: .plain) == 6)
        #expect(frame.text(ofRow: 0) == "ab東京")
        frame.put("xyz東", x: 0, y: 1, role: .plain, maxWidth: 4)
        #expect(frame.text(ofRow: 1) == "xyz   ")  // the wide character does not fit in 4 columns
        frame.put("Q", x: 3, y: 0, role: .plain)  // overwrite the second half of 東
        #expect(frame.text(ofRow: 0) == "ab Q京")
        var escapes = Frame(width: 12, height: 1)
        escapes.put("\u{1B}[2Jhi\u{7}\u{9B}", x: 0, y: 0, role: .plain)
        #expect(escapes.text(ofRow: 0) == "?[2Jhi??    ")
        var ascii = Frame(width: 8, height: 1, asciiOnly: true)
        ascii.put("é東x", x: 0, y: 0, role: .plain)
        #expect(ascii.text(ofRow: 0) == "??x     ")
    }

    @Test func truncationAndWrapping() {
        #expect(TextWidth.truncate("billing.example.com", to: 8) == "billing…")
        #expect(TextWidth.truncate("東京東京", to: 5) == "東京…")
        #expect(TextWidth.truncate("abc", to: 1) == "…")
        #expect(TextWidth.fit("7", to: 3, alignRight: true) == "  7")
        #expect(TextWidth.wrap("the quick brown fox", to: 10) == ["the quick", "brown fox"])
        #expect(TextWidth.wrap("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
        #expect(TextWidth.of("Café ☕ 東京") == 12)
    }

    @Test func columnsDropByPriorityAndShareWhatIsLeft() {
        let columns = [
            Column(title: "a", width: .fixed(10), priority: 100),
            Column(title: "b", width: .flex(min: 5, weight: 1), priority: 90),
            Column(title: "c", width: .fixed(10), priority: 10),
        ]
        #expect(ColumnLayout.widths(columns, available: 40) == [10, 18, 10])
        #expect(ColumnLayout.widths(columns, available: 20) == [10, 9, nil])
        #expect(ColumnLayout.widths(columns, available: 8) == [8, nil, nil])
    }
}
