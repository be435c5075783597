/// Searches in a string's UTF-8 bytes.
///
/// With Foundation imported, `String.contains(_:)` goes through `NSString` and UTF-16 on Linux, and
/// `utf8.contains(_:)` walks the bytes one iterator step at a time: on a supplier's active list of thousands of
/// numbers, or every bound parameter of every statement, both showed in the workers' profile.
public enum UTF8Search {
    /// Whether `text` contains `needle` (byte for byte; an empty needle is always found).
    public static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text
        return text.withUTF8 { contains($0, needle) }
    }

    /// Whether `text` contains `needle` (byte for byte; an empty needle is always found).
    public static func contains(_ text: Substring, _ needle: String) -> Bool {
        var text = text
        return text.withUTF8 { contains($0, needle) }
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { needle in
            guard let first = needle.first else { return true }
            guard needle.count <= haystack.count else { return false }
            let lastStart = haystack.count - needle.count
            var start = 0
            while start <= lastStart {
                guard let found = haystack[start...lastStart].firstIndex(of: first) else { return false }
                if UnsafeBufferPointer(rebasing: haystack[found..<found + needle.count]).elementsEqual(needle) {
                    return true
                }
                start = found + 1
            }
            return false
        }
    }

    /// Whether `text` contains the byte `byte` (a NUL, a quote …).
    public static func contains(_ text: String, byte: UInt8) -> Bool {
        var text = text
        return text.withUTF8 { $0.firstIndex(of: byte) != nil }
    }
}
