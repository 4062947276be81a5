import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// The one table of key bindings: every key the reducer takes is in it and in help, and
/// read-only mode hides and refuses the bindings that change the dispatcher.
@Suite struct KeyBindingTests {
    /// Every key the terminal can deliver that the console could care about.
    static let universe: [Key] =
        (32...126).map { Key.character(Character(UnicodeScalar(UInt8($0)))) }
        + "abcdefghijklmnopqrstuvwxyz".map { Key.control($0) }
        + [.enter, .escape, .tab, .backTab, .backspace, .delete, .up, .down, .left, .right, .pageUp, .pageDown, .home, .end]

    /// States to press keys in: each pane focused, and a detail view.
    static func contexts() -> [(String, ConsoleState)] {
        var result: [(String, ConsoleState)] = []
        for keys in [[Key.character("1")], [.character("s")], [.character("2")], [.character("F")], [.character("3")], [.character("4")], [.character("l")]] {
            var state = Fixtures.state()
            Fixtures.press(keys, &state)
            result.append(("pane \(state.focus.title)", state))
        }
        var detail = Fixtures.state()
        Fixtures.press([.enter], &detail)
        result.append(("detail", detail))
        return result
    }

    @Test func everyBindingHasALabelAndKeys() {
        for binding in KeyBindings.all {
            #expect(!binding.keys.isEmpty, "\(binding.action)")
            #expect(!binding.label.isEmpty, "\(binding.action) has no label")
            #expect(!binding.keyDisplay(.unicode).isEmpty && !binding.keyDisplay(.ascii).isEmpty)
        }
    }

    @Test func noKeyIsBoundTwiceInTheSameContext() {
        for (name, state) in Self.contexts() {
            for key in Self.universe {
                let inDetail = state.detail != nil
                let matches = KeyBindings.all.filter { $0.keys.contains(key) && $0.scope.applies(focus: state.focus, inDetail: inDetail) }
                let top = matches.map(\.scope.specificity).max()
                #expect(matches.filter { $0.scope.specificity == top }.count <= 1, "\(key) is bound twice in \(name)")
            }
        }
    }

    /// A key that changes anything (state or effects) outside a modal must be listed in help.
    @Test func helpListsEveryKeyTheReducerTakes() {
        for (name, state) in Self.contexts() {
            let help = KeyBindings.help(for: state).flatMap(\.hints).map(\.key).joined(separator: " ")
            let helpKeys = Set(KeyBindings.all.filter { binding in
                help.contains(binding.keyDisplay(state.glyphs))
            }.flatMap(\.keys))
            for key in Self.universe {
                var after = state
                let effects = Reducer.reduce(&after, .key(key))
                let changed = !effects.isEmpty || after.focus != state.focus || after.modal != state.modal || after.detail != state.detail
                    || after.cursors != state.cursors || after.flash != state.flash || after.paneOne != state.paneOne
                    || after.events.following != state.events.following || after.isQuitting
                // Keys of other panes only say where they work.
                let explainsElsewhere = effects.isEmpty && after.flash?.kind == .info && after.flash?.message.contains(" in pane ") == true
                    && after.focus == state.focus && after.modal == nil
                if changed && !explainsElsewhere {
                    #expect(helpKeys.contains(key), "\(key) does something in \(name) but help does not list it")
                }
            }
        }
    }

    @Test func readOnlyHidesAndRefusesEveryMutatingBinding() {
        let mutating = KeyBindings.all.filter(\.mutates)
        #expect(!mutating.isEmpty)
        for (name, base) in Self.contexts() {
            var state = base
            state.readOnly = true
            let footer = KeyBindings.footer(for: state)
            let help = KeyBindings.help(for: state).flatMap(\.hints)
            for binding in mutating where binding.scope.applies(focus: state.focus, inDetail: state.detail != nil) {
                #expect(!help.contains { $0.label == binding.label }, "\(binding.action) in help of a read-only \(name)")
                #expect(!footer.contains { $0.label == binding.footerLabel(state) }, "\(binding.action) in the footer of a read-only \(name)")
                for key in binding.keys {
                    var after = state
                    let effects = Reducer.reduce(&after, .key(key))
                    #expect(effects.isEmpty && after.modal == nil, "\(key) acted in a read-only \(name)")
                    #expect(after.flash?.kind == .error && after.flash?.message.contains("Read-only") == true)
                }
            }
        }
    }
}
