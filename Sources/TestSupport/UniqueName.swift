import Foundation

/// A name no other test uses: `prefix`, `separator` and 8 random hex digits. With `"_"` it is a valid unquoted SQL
/// identifier (a schema per test); with `"-"`, the default, a Kafka topic, group or request ID.
public func uniqueName(_ prefix: String, separator: String = "-") -> String {
    "\(prefix)\(separator)\(UUID().uuidString.prefix(8).lowercased())"
}
