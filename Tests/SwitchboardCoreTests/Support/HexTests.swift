import Crypto
import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Hex")
struct HexTests {
    @Test("bytes encode as lower-case hex, two digits each, and decode back")
    func roundTrip() {
        let bytes: [UInt8] = [0x00, 0x0F, 0xA0, 0xFF, 0x7E]
        #expect(bytes.hexEncoded == "000fa0ff7e")
        #expect(Data(hex: "000fa0ff7e") == Data(bytes))
        #expect([UInt8]().hexEncoded == "")
    }

    @Test("a SHA-256 digest encodes as its published test vector")
    func digestVector() {
        #expect(SHA256.hash(data: Data("abc".utf8)).hexEncoded == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("odd-length or non-hex text does not decode")
    func rejectsNonHex() {
        #expect(Data(hex: "abc") == nil)
        #expect(Data(hex: "zz") == nil)
    }
}
