import Foundation
import Histogram

/// The figures of one end-to-end benchmark run, printed for people and as one JSON line for scripts.
struct E2EReport {
    var activations: Int
    var workers: Int
    var sms: String
    var offeredRate: Double?
    var activationsPerSecond: Double
    var allocated: Histogram<UInt64>
    var completed: Histogram<UInt64>
    var outcomes: [String: Int]
    var latenessP99Milliseconds: Double?
    /// How long requests waited before a worker started them (their record's timestamp to the start), and the part of
    /// it they were read but held back by admission or the in-flight bound: p99 as bucket bounds, in milliseconds, as
    /// the lateness. With `allocated` they tell waiting from working.
    var requestWaitP99Milliseconds: Double? = nil
    var admissionWaitP99Milliseconds: Double? = nil
    /// How long the suppliers took to answer a purchase, p99 as a bucket bound in milliseconds: the part of the work
    /// between a request's start and its `number_allocated` spent waiting for the supplier.
    var purchaseCallP99Milliseconds: Double? = nil
    var supplierCallsPerActivation: Double
    var statementsPerActivation: Double
    var roundTripsPerActivation: Double
    var workerPeakRSS: [Double]
    var waitingRSS: [Double]?
    var cpuSecondsPer1000: Double
    /// PostgreSQL's CPU (postmaster, backends, helpers) per 1,000 activations; nil when the server is not on this
    /// machine or does not say where it is (``PostgresCPU``).
    var postgresCPUSecondsPer1000: Double?
    /// The whole machine's busy CPU per 1,000 activations over the same window (``MachineCPU``): the workers' and
    /// PostgreSQL's and the rest's (simulator, broker, this benchmark); nil when `/proc/stat` cannot be read.
    var machineCPUSecondsPer1000: Double?
    /// The share of the machine's CPU left idle over that window: near 0, the run was bound by the machine's CPU.
    var machineIdleShare: Double?
    /// Whether PostgreSQL ran durable (fsync and synchronous commit on), as a deployment runs it; nil when unknown.
    var postgresDurable: Bool?
    /// PostgreSQL's `shared_buffers` as the server says it (`1GB`); nil when unknown. Below the rows a run writes,
    /// backends write dirty pages out themselves and the figures fall.
    var postgresSharedBuffers: String?
    /// Activations the database held before the run (earlier runs'); nil when unknown. The figures fall as it fills:
    /// compare runs on databases alike.
    var activationsStoredBefore: Int?
    /// The write-ahead log PostgreSQL wrote per activation, from before the submission to after the workers stopped
    /// (``PostgresWAL``): records (nil before PostgreSQL 14) and bytes; nil when the server was not asked. The same
    /// steps write the same WAL however busy the machine is, so these move only with what a step writes.
    var walRecordsPerActivation: Double? = nil
    var walBytesPerActivation: Double? = nil
    /// What raw librdkafka in C produced per second on the run's broker just before it (``CBaseline``); nil when not
    /// measured (`--c-baseline-messages 0`).
    var cProducePerSecond: Double?

    /// Activations per second for every 1,000 messages a second raw C produces on the same machine and broker: the
    /// throughput with the machine's speed divided out, so runs on different machines compare.
    var activationsPer1000CMessages: Double? {
        cProducePerSecond.map { activationsPerSecond / ($0 / 1_000) }
    }

    private func percentiles(_ histogram: Histogram<UInt64>) -> String {
        guard histogram.totalCount > 0 else { return "–" }
        return "p50 \(histogram.valueAtPercentile(50)) ms  p99 \(histogram.valueAtPercentile(99)) ms  p999 \(histogram.valueAtPercentile(99.9)) ms  max \(histogram.max) ms"
    }

    var text: String {
        var lines = [
            "end-to-end: \(activations) activations, \(workers) worker processes, SMS \(sms)"
                + (offeredRate.map { ", offered \(Int($0))/s" } ?? ", offered as fast as possible"),
            String(format: "  throughput            %.0f activations/s", activationsPerSecond),
            "  enqueue → allocated   " + percentiles(allocated),
            "  enqueue → completed   " + percentiles(completed),
            "  outcomes              " + outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
            "  follow-up lateness    p99 " + Self.bucketText(latenessP99Milliseconds),
            "  wait before start     p99 " + Self.bucketText(requestWaitP99Milliseconds)
                + ", in admission p99 " + Self.bucketText(admissionWaitP99Milliseconds),
            "  purchase call         p99 " + Self.bucketText(purchaseCallP99Milliseconds),
            String(
                format: "  per activation        %.2f supplier calls, %.2f PostgreSQL statements in %.2f round trips", supplierCallsPerActivation,
                statementsPerActivation, roundTripsPerActivation),
            "  worker peak RSS       " + workerPeakRSS.map { String(format: "%.0f MB", $0) }.joined(separator: ", "),
            String(format: "  worker CPU            %.2f s per 1,000 activations", cpuSecondsPer1000),
            "  PostgreSQL CPU        " + postgresCPUText,
        ]
        if let machine = machineCPUSecondsPer1000 {
            let rest = machine - cpuSecondsPer1000 - (postgresCPUSecondsPer1000 ?? 0)
            lines.append(String(
                format: "  machine CPU           %.2f s per 1,000 activations (%.2f besides the workers%@: simulator, broker, this bench), %.0f%% idle",
                machine, rest, postgresCPUSecondsPer1000 == nil ? "" : " and PostgreSQL", (machineIdleShare ?? 0) * 100))
        }
        if let walBytesPerActivation {
            lines.append(
                "  PostgreSQL WAL        "
                    + (walRecordsPerActivation.map { String(format: "%.1f records, ", $0) } ?? "")
                    + String(format: "%.1f kB per activation", walBytesPerActivation / 1_000))
        }
        lines += [
            "  PostgreSQL            " + durabilityText + (activationsStoredBefore.map { ", holding \($0) activations before the run" } ?? ""),
        ]
        if let cProducePerSecond, let scaled = activationsPer1000CMessages {
            lines.append(String(
                format: "  raw C produce         %.0f msg/s on this broker: %.2f activations/s per 1,000 C msg/s", cProducePerSecond, scaled))
        }
        if let waitingRSS {
            lines.append("  RSS with all waiting  " + waitingRSS.map { String(format: "%.0f MB", $0) }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    private var postgresCPUText: String {
        guard let seconds = postgresCPUSecondsPer1000 else { return "– (the server is not on this machine, or hides its data directory)" }
        return String(format: "%.2f s per 1,000 activations", seconds)
    }

    private var durabilityText: String {
        let durability = switch postgresDurable {
        case true?: "durable (fsync and synchronous commit on)"
        case false?: "NOT durable (fsync or synchronous commit off): a deployment's commits cost more"
        case nil: "durability unknown"
        }
        return postgresSharedBuffers.map { "\(durability), shared_buffers \($0)" } ?? durability
    }

    /// A p99 read from histogram buckets, as the bound of the bucket holding it; beyond the last bucket (30 s) it is
    /// only known to be more.
    private static func bucketText(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value.isFinite ? "≤ \(format(value)) ms (bucket bound)" : "> 30000 ms (beyond the last bucket)"
    }

    /// Puts a bucket-bound p99 under `key`: null when unknown or beyond the last bucket, with `<key>_above_ms` then
    /// saying which bound it exceeds.
    private static func put(_ value: Double?, as key: String, in object: inout [String: Any]) {
        if let value, value.isFinite {
            object[key + "_ms"] = value
        } else {
            object[key + "_ms"] = NSNull()
            if value != nil { object[key + "_above_ms"] = 30_000 }
        }
    }

    var json: String {
        var object: [String: Any] = [
            "activations": activations, "workers": workers, "sms": sms,
            "activations_per_s": (activationsPerSecond * 10).rounded() / 10,
            "allocated_p50_ms": allocated.valueAtPercentile(50), "allocated_p99_ms": allocated.valueAtPercentile(99),
            "allocated_p999_ms": allocated.valueAtPercentile(99.9),
            "completed_p50_ms": completed.valueAtPercentile(50), "completed_p99_ms": completed.valueAtPercentile(99),
            "completed_p999_ms": completed.valueAtPercentile(99.9),
            "outcomes": outcomes,
            "supplier_calls_per_activation": (supplierCallsPerActivation * 100).rounded() / 100,
            "pg_statements_per_activation": (statementsPerActivation * 100).rounded() / 100,
            "pg_round_trips_per_activation": (roundTripsPerActivation * 100).rounded() / 100,
            "worker_rss_peak_mb": (workerPeakRSS.max() ?? 0).rounded(),
            "cpu_s_per_1000_activations": (cpuSecondsPer1000 * 100).rounded() / 100,
            "postgres_cpu_s_per_1000_activations": postgresCPUSecondsPer1000.map { ($0 * 100).rounded() / 100 } ?? NSNull(),
            "machine_cpu_s_per_1000_activations": machineCPUSecondsPer1000.map { ($0 * 100).rounded() / 100 } ?? NSNull(),
            "machine_idle_share": machineIdleShare.map { ($0 * 1_000).rounded() / 1_000 } ?? NSNull(),
            "postgres_durable": postgresDurable ?? NSNull(),
            "postgres_shared_buffers": postgresSharedBuffers ?? NSNull(),
            "activations_stored_before": activationsStoredBefore ?? NSNull(),
            "pg_wal_records_per_activation": walRecordsPerActivation.map { ($0 * 10).rounded() / 10 } ?? NSNull(),
            "pg_wal_kb_per_activation": walBytesPerActivation.map { ($0 / 100).rounded() / 10 } ?? NSNull(),
        ]
        Self.put(latenessP99Milliseconds, as: "lateness_p99", in: &object)
        Self.put(requestWaitP99Milliseconds, as: "request_wait_p99", in: &object)
        Self.put(admissionWaitP99Milliseconds, as: "admission_wait_p99", in: &object)
        Self.put(purchaseCallP99Milliseconds, as: "purchase_call_p99", in: &object)
        object["offered_rate"] = offeredRate ?? NSNull()
        object["c_produce_msgs_per_s"] = cProducePerSecond.map { $0.rounded() } ?? NSNull()
        object["activations_per_1000_c_msgs"] = activationsPer1000CMessages.map { ($0 * 100).rounded() / 100 } ?? NSNull()
        if let waitingRSS { object["worker_rss_waiting_mb"] = (waitingRSS.max() ?? 0).rounded() }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%g", value)
    }
}
