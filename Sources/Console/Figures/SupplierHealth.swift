import Pool

/// One supplier's calls as this process made them since it started: volume, failures by kind, latency and
/// rate-limit waits (from `otppool_supplier_*` metrics).
struct SupplierHealth: Sendable {
    var supplier: String
    var calls: Int
    /// Failed calls by result (`no_inventory`, `server_error`, `rate_limited`, `timeout` …), most first.
    var errors: [(kind: String, count: Int)]
    /// Mean call duration, seconds.
    var meanLatency: Double?
    /// The upper bound of the histogram bucket holding the 99th percentile, seconds (nil above the last bucket).
    var p99Latency: Double?
    /// Calls that waited for the rate limit, and the wait in all.
    var rateLimitWaits: Int
    var rateLimitWaitSeconds: Double

    var errorCount: Int { errors.reduce(0) { $0 + $1.count } }

    /// The suppliers of `samples`, by name.
    static func from(_ samples: [PrometheusSample]) -> [SupplierHealth] {
        func of(_ name: String) -> [PrometheusSample] { samples.filter { $0.name == name } }
        var names = Set(of("otppool_supplier_calls_total").compactMap { $0.labels["supplier"] })
        names.formUnion(of("otppool_supplier_rate_limit_waits_total").compactMap { $0.labels["supplier"] })
        return names.sorted().map { supplier in
            let calls = of("otppool_supplier_calls_total").filter { $0.labels["supplier"] == supplier }
            var errors: [String: Int] = [:]
            for sample in calls where sample.labels["result"] != "ok" {
                errors[sample.labels["result"] ?? "unknown", default: 0] += Int(sample.value)
            }
            let count = of("otppool_supplier_call_duration_seconds_count").filter { $0.labels["supplier"] == supplier }
                .reduce(0) { $0 + $1.value }
            let sum = of("otppool_supplier_call_duration_seconds_sum").filter { $0.labels["supplier"] == supplier }
                .reduce(0) { $0 + $1.value }
            let buckets = of("otppool_supplier_call_duration_seconds_bucket").filter { $0.labels["supplier"] == supplier }
            return SupplierHealth(
                supplier: supplier, calls: Int(calls.reduce(0) { $0 + $1.value }),
                errors: errors.map { ($0.key, $0.value) }.sorted { $0.count > $1.count || $0.count == $1.count && $0.kind < $1.kind },
                meanLatency: count > 0 ? sum / count : nil, p99Latency: PrometheusSample.quantileBound(PrometheusSample.cumulative(buckets), 0.99).flatMap { $0.isFinite ? $0 : nil },
                rateLimitWaits: Int(of("otppool_supplier_rate_limit_waits_total").first { $0.labels["supplier"] == supplier }?.value ?? 0),
                rateLimitWaitSeconds: of("otppool_supplier_rate_limit_wait_seconds_sum").first { $0.labels["supplier"] == supplier }?.value ?? 0)
        }
    }
}
