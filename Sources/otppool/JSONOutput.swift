import Activation
import Foundation

/// `--json` output: one JSON document on standard output, nothing else (no colour, no summary line), so scripts
/// can pipe it to `jq`. Keys are snake_case and stable (README "JSON output" lists them);
/// times are RFC 3339 in UTC.
enum JSONOutput {
    static func print(_ value: some Encodable) throws {
        let encoder = WireFormat.makeEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
