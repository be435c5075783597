import Foundation
import Testing

@testable import Pool
@testable import Runtime

@Suite("Request wait: how long a request waited before a worker started it")
struct RequestWaitMetricsTests {
    /// The `_sum` and `_count` of histogram `name` as exported.
    static func totals(_ name: String) -> (sum: Double, count: Double) {
        let samples = PrometheusSample.parse(MetricsRegistry.render())
        func value(_ series: String) -> Double { samples.first { $0.name == series }?.value ?? 0 }
        return (value(name + "_sum"), value(name + "_count"))
    }

    /// Workers of other suites in this process record into the same histograms at the same time: each only adds a
    /// non-negative wait, so what this test recorded is a lower bound of the change.
    @Test("exported as two histograms: from the record's timestamp to the start, and the part held back by admission")
    func exported() {
        _ = MetricsRegistry.shared
        let (wait, admission) = (Self.totals("otppool_request_wait_seconds"), Self.totals("otppool_admission_wait_seconds"))
        let now = Date()
        PoolMetrics.requestStarted(waitedSince: now - 7, admissionWait: .milliseconds(250), now: now)
        let (waitAfter, admissionAfter) = (Self.totals("otppool_request_wait_seconds"), Self.totals("otppool_admission_wait_seconds"))
        #expect(waitAfter.count >= wait.count + 1)
        #expect(waitAfter.sum - wait.sum >= 7 - 0.001)
        #expect(admissionAfter.count >= admission.count + 1)
        #expect(admissionAfter.sum - admission.sum >= 0.25 - 0.001)
    }

    @Test("a record without a timestamp has no wait to count; one stamped ahead of this clock waited 0")
    func missingOrFutureTimestamp() throws {
        let now = Date()
        #expect(PoolMetrics.requestWait(since: nil, now: now) == nil)
        #expect(PoolMetrics.requestWait(since: now + 3, now: now) == 0)
        let wait = try #require(PoolMetrics.requestWait(since: now - 1.5, now: now))
        #expect(abs(wait - 1.5) < 1e-6)
    }
}
