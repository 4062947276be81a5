import Crypto
import Foundation
import SwitchboardCore

/// Signs bodies the way Stripe does (`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of
/// "<t>.<body>">`), for the demo's and the benchmark's simulated Stripe traffic.
enum StripeSigning {
    static func header(for body: Data, secret: String, at date: Date = Date()) -> String {
        let timestamp = Int(date.timeIntervalSince1970)
        var signed = Data("\(timestamp).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + mac.hexEncoded
    }

    /// A Stripe-style event body with a unique id.
    static func event(id: String, type: String, amount: Int, currency: String) -> Data {
        Data(#"{"id":"\#(id)","object":"event","type":"\#(type)","data":{"object":{"amount":\#(amount),"currency":"\#(currency)"}}}"#.utf8)
    }
}
