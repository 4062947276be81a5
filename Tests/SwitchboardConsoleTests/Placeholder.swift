import Testing
@Test func consolePlaceholder() { #expect(1 + 1 == 2) }
