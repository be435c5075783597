import Activation
import Foundation

/// The outcome table `otppool submit --wait` prints: counts by outcome, latencies, retries, refunds.
struct OutcomeSummary {
    let outcomes: [String: [ActivationEvent]]
    let submittedAt: [String: Date]

    var rendered: String {
        var lines = ["", "outcome summary (\(submittedAt.count) submitted)"]
        var byKind: [String: Int] = [:]
        for (requestID, _) in submittedAt {
            let terminal = outcomes[requestID]?.last { $0.kind.isTerminal }
            byKind[terminal?.kind.rawValue ?? "not ended", default: 0] += 1
        }
        for (kind, count) in byKind.sorted(by: { $0.value > $1.value }) {
            lines.append("  \(kind.padding(toLength: 14, withPad: " ", startingAt: 0)) \(String(count).leftPadded(6))")
        }
        let allocated = latencies(to: .numberAllocated)
        let completed = latencies(to: .completed)
        lines.append("latency enqueue → number_allocated  p50 \(ms(allocated, 0.50))  p99 \(ms(allocated, 0.99))  (\(allocated.count))")
        lines.append("latency enqueue → completed         p50 \(ms(completed, 0.50))  p99 \(ms(completed, 0.99))  (\(completed.count))")
        let retries = outcomes.values.reduce(0) { $0 + $1.filter { $0.kind == .retrying }.count }
        let retried = outcomes.values.filter { $0.contains { $0.kind == .retrying } }.count
        lines.append("retries: \(retries) (in \(retried) activations, each with something changed)")
        let refunded = outcomes.values.filter { $0.contains { [.cancelled, .expired, .failed].contains($0.kind) } }.count
        lines.append("holds released without a charge (cancelled, expired, failed): \(refunded)")
        let reasons = outcomes.values.compactMap { $0.last { $0.kind.isTerminal && $0.kind != .completed }?.reasonCode }
        for (reason, count) in Dictionary(grouping: reasons, by: { $0 }).mapValues(\.count).sorted(by: { $0.value > $1.value }).prefix(5) {
            lines.append("  reason \(reason): \(count)")
        }
        return lines.joined(separator: "\n")
    }

    private func latencies(to kind: ActivationEventKind) -> [Double] {
        submittedAt.compactMap { requestID, submitted in
            outcomes[requestID]?.first { $0.kind == kind }.map { $0.occurredAt.timeIntervalSince(submitted) * 1_000 }
        }.sorted()
    }

    private func ms(_ sorted: [Double], _ quantile: Double) -> String {
        guard !sorted.isEmpty else { return "     –" }
        let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * quantile))]
        return String(format: "%6.0f ms", value)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
