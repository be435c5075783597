import Pool

/// The few things the benchmarks read from a `/metrics` page: counter sums and histogram buckets.
struct PrometheusText {
    let samples: [PrometheusSample]

    init(_ text: String) {
        samples = PrometheusSample.parse(text)
    }

    /// The sum of every series of `name` (all label values).
    func sum(_ name: String) -> Double {
        samples.filter { $0.name == name }.reduce(0) { $0 + $1.value }
    }

    /// Cumulative bucket counts of histogram `name` by upper bound (`le`), summed over the label sets that carry every
    /// one of `labels`.
    func buckets(_ name: String, labels: [String: String] = [:]) -> [Double: Double] {
        PrometheusSample.cumulative(samples.filter { sample in
            sample.name == name + "_bucket" && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        })
    }

    /// The upper bound of the bucket holding the `quantile` of merged cumulative `buckets` (nil when empty).
    static func quantileBound(_ buckets: [Double: Double], _ quantile: Double) -> Double? {
        PrometheusSample.quantileBound(buckets, quantile)
    }
}
