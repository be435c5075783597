/// The few things the benchmarks read from a `/metrics` page: counter sums and histogram buckets.
struct PrometheusText {
    /// Every sample: metric name with labels as written, and value.
    let samples: [(series: String, value: Double)]

    init(_ text: String) {
        samples = text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...])
            else { return nil }
            return (String(line[..<space]), value)
        }
    }

    /// The sum of every series of `name` (all label values).
    func sum(_ name: String) -> Double {
        samples.filter { $0.series == name || $0.series.hasPrefix(name + "{") }.reduce(0) { $0 + $1.value }
    }

    /// Cumulative bucket counts of histogram `name` by upper bound (`le`), summed over label sets.
    func buckets(_ name: String) -> [Double: Double] {
        var counts: [Double: Double] = [:]
        for sample in samples where sample.series.hasPrefix(name + "_bucket{") {
            guard let range = sample.series.range(of: "le=\""), let end = sample.series[range.upperBound...].firstIndex(of: "\"") else { continue }
            let bound = String(sample.series[range.upperBound..<end])
            counts[bound == "+Inf" ? .infinity : Double(bound) ?? .infinity, default: 0] += sample.value
        }
        return counts
    }

    /// The upper bound of the bucket holding the `quantile` of merged cumulative `buckets` (nil when empty).
    static func quantileBound(_ buckets: [Double: Double], _ quantile: Double) -> Double? {
        guard let total = buckets[.infinity], total > 0 else { return nil }
        return buckets.keys.sorted().first { (buckets[$0] ?? 0) >= quantile * total }
    }
}
