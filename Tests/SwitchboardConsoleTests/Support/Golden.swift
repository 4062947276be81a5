import Foundation
import Testing

@testable import SwitchboardConsole

/// Golden files: a frame's text and its style layer, stored under `Golden/`.
///
/// Run with `SWITCHBOARD_UPDATE_GOLDEN=1` to write the files from the current output
/// (then review the diff); otherwise a difference fails the test and names the first
/// differing line.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    static var updating: Bool { ProcessInfo.processInfo.environment["SWITCHBOARD_UPDATE_GOLDEN"] == "1" }

    /// Compares `frame`'s text with `<name>.txt` and its style layer with `<name>.style.txt`
    /// (roles, or with `attributes` the style sheet's attribute codes).
    static func check(_ frame: Frame, _ name: String, attributes sheet: StyleSheet? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        compare(frame.plainText, file: "\(name).txt", sourceLocation: sourceLocation)
        compare(sheet.map { frame.attributeText($0) } ?? frame.styleText, file: "\(name).style.txt", sourceLocation: sourceLocation)
    }

    private static func compare(_ actual: String, file: String, sourceLocation: SourceLocation) {
        let url = directory.appendingPathComponent(file)
        if updating {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(file); run the tests with SWITCHBOARD_UPDATE_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        let expectedLines = expected.components(separatedBy: "\n"), actualLines = actual.components(separatedBy: "\n")
        let line = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expectedLines.count, actualLines.count)
        let want = line < expectedLines.count ? expectedLines[line] : "<end>"
        let got = line < actualLines.count ? actualLines[line] : "<end>"
        Issue.record(
            "\(file) differs at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)\n(SWITCHBOARD_UPDATE_GOLDEN=1 rewrites the golden files)",
            sourceLocation: sourceLocation)
    }
}

/// Renders a state the way the runtime does.
func render(_ state: ConsoleState) -> Frame {
    FrameRenderer.render(ScreenBuilder.build(state))
}
