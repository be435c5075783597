/// Converts `numeric` text to an integer count of minor currency units, exactly.
///
/// `12.34` at scale 2 is 1234. Money never goes through floating point: the digits are shifted by `scale`
/// places, and a value with more significant fractional digits than `scale` is an error rather than
/// rounded.
enum PostgresMinorUnits {
    enum Failure: Error {
        case notANumber
        case tooPrecise
        case overflow
    }

    static func parse(_ text: String, scale: Int) throws(Failure) -> Int64 {
        var bytes = Substring(text).utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        let whole = bytes[..<(dot ?? bytes.endIndex)]
        let fraction = dot.map { bytes[bytes.index(after: $0)...] } ?? bytes[bytes.endIndex...]
        guard !whole.isEmpty || !fraction.isEmpty else { throw .notANumber }

        var value: Int64 = 0
        func push(_ byte: UInt8) throws(Failure) {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { throw .notANumber }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw .overflow }
            value = sum
        }
        for byte in whole { try push(byte) }
        for (offset, byte) in fraction.enumerated() {
            if offset < scale {
                try push(byte)
            } else {
                guard byte == UInt8(ascii: "0") else {
                    throw (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(byte) ? .tooPrecise : .notANumber
                }
            }
        }
        for _ in fraction.count..<max(scale, fraction.count) { try push(UInt8(ascii: "0")) }
        return negative ? -value : value
    }
}
