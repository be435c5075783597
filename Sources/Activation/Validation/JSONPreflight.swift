import Foundation

/// Cheap checks on raw bytes before any JSON parser sees them: size, UTF-8 and nesting depth.
///
/// Running them first bounds the parser's work and stack use (a 100,000-deep array never reaches it) and
/// gives hostile inputs a precise reason instead of a generic parse error.
enum JSONPreflight {
    /// ``check(_:limits:)`` on a `Data`'s bytes in place: a `Data` walked through its own iterator is read a byte at a
    /// time through a call (every request a worker takes in and every event the escalation worker and the benchmark read).
    static func check(_ data: Data, limits: WireLimits) -> RejectionReason? {
        data.withUnsafeBytes { check($0, limits: limits) }
    }

    /// Nil when `bytes` pass, else the reason.
    static func check(_ bytes: some Collection<UInt8>, limits: WireLimits) -> RejectionReason? {
        if bytes.count > limits.maxMessageBytes {
            return RejectionReason(
                .oversize, "the message is \(bytes.count) bytes; the limit is \(limits.maxMessageBytes)")
        }
        if bytes.isEmpty {
            return RejectionReason(.malformedJSON, "the message is empty; send a JSON object")
        }
        if String(validating: bytes, as: UTF8.self) == nil {
            return RejectionReason(.invalidEncoding, "the message is not valid UTF-8; send UTF-8 JSON")
        }
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x7B, 0x5B:
                depth += 1
                if depth > limits.maxNestingDepth {
                    return RejectionReason(
                        .tooDeep, "objects and arrays nest deeper than \(limits.maxNestingDepth) levels")
                }
            case 0x7D, 0x5D: depth -= 1
            default: break
            }
        }
        return nil
    }
}
