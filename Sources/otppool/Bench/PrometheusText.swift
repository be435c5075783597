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

    /// Cumulative bucket counts of histogram `name` by upper bound (`le`), summed over label sets.
    func buckets(_ name: String) -> [Double: Double] {
        PrometheusSample.cumulative(samples.filter { $0.name == name + "_bucket" })
    }

    /// The upper bound of the bucket holding the `quantile` of merged cumulative `buckets` (nil when empty).
    static func quantileBound(_ buckets: [Double: Double], _ quantile: Double) -> Double? {
        PrometheusSample.quantileBound(buckets, quantile)
    }
}
