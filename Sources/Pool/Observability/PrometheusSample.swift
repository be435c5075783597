import Foundation

/// One line of the Prometheus text exposition: `name{label="value",…} 12.5`.
///
/// How the pool reads metrics back: the operator console reads its own process's `/metrics` text (the registry
/// offers nothing else to read back, and it is exactly what Prometheus scrapes), the benchmarks read the workers'.
public struct PrometheusSample: Sendable, Hashable {
    public var name: String
    public var labels: [String: String]
    public var value: Double

    public init(name: String, labels: [String: String], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }

    /// Every sample of `text`; comments and lines that do not parse are skipped.
    public static func parse(_ text: String) -> [PrometheusSample] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            return parse(line: line)
        }
    }

    private static func parse(line: Substring) -> PrometheusSample? {
        var labels: [String: String] = [:]
        let name: Substring
        var rest: Substring
        if let brace = line.firstIndex(of: "{") {
            name = line[..<brace]
            rest = line[line.index(after: brace)...]
            while let equals = rest.firstIndex(of: "=") {
                let key = rest[..<equals].trimmingCharacters(in: [" ", ","])
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                var value = ""
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character == "n" ? "\n" : character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
                labels[key] = value
                rest = rest.drop { $0 == "," || $0 == " " }
                if rest.first == "}" { break }
            }
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        } else {
            guard let space = line.firstIndex(of: " ") else { return nil }
            name = line[..<space]
            rest = line[space...]
        }
        guard let valueText = rest.split(separator: " ").first, let value = Double(valueText) else { return nil }
        return PrometheusSample(name: String(name), labels: labels, value: value)
    }
}

extension PrometheusSample {
    /// The cumulative counts of histogram `buckets` (`…_bucket` samples) by upper bound (`le`), summed over
    /// every other label.
    public static func cumulative(_ buckets: some Sequence<PrometheusSample>) -> [Double: Double] {
        var counts: [Double: Double] = [:]
        for sample in buckets {
            guard let bound = sample.labels["le"].flatMap({ $0 == "+Inf" ? Double.infinity : Double($0) }) else { continue }
            counts[bound, default: 0] += sample.value
        }
        return counts
    }

    /// The upper bound of the bucket holding the `quantile` of cumulative `counts` (nil when empty).
    public static func quantileBound(_ counts: [Double: Double], _ quantile: Double) -> Double? {
        guard let total = counts[.infinity], total > 0 else { return nil }
        return counts.keys.sorted().first { (counts[$0] ?? 0) >= quantile * total }
    }
}
