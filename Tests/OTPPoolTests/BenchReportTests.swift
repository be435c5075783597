import ArgumentParser
import Foundation
import Histogram
import Testing

@testable import otppool

@Suite("bench e2e: the report scaled by raw C's produce rate")
struct BenchReportTests {
    static func report(cProduce: Double?) -> E2EReport {
        var histogram = Histogram<UInt64>(highestTrackableValue: 3_600_000)
        histogram.record(12)
        return E2EReport(
            activations: 1_000, workers: 2, sms: "instant", offeredRate: nil, activationsPerSecond: 500,
            allocated: histogram, completed: histogram, outcomes: ["completed": 1_000], latenessP99Milliseconds: 5,
            supplierCallsPerActivation: 2.05, statementsPerActivation: 1, roundTripsPerActivation: 1, workerPeakRSS: [90, 95],
            waitingRSS: nil, cpuSecondsPer1000: 1.2, postgresCPUSecondsPer1000: 0.8, postgresDurable: true,
            cProducePerSecond: cProduce)
    }

    static func object(_ report: E2EReport) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
    }

    @Test("activations per 1,000 C msg/s: the throughput over the machine's produce rate, in text and JSON")
    func scaledThroughput() throws {
        let report = Self.report(cProduce: 1_250_000)
        #expect(report.activationsPer1000CMessages == 0.4)
        let object = try Self.object(report)
        #expect(object["c_produce_msgs_per_s"] as? Double == 1_250_000)
        #expect(object["activations_per_1000_c_msgs"] as? Double == 0.4)
        #expect(report.text.contains("raw C produce         1250000 msg/s on this broker: 0.40 activations/s per 1,000 C msg/s"))
    }

    @Test("without a baseline (--c-baseline-messages 0) both keys are null and the text says nothing of it")
    func noBaseline() throws {
        let report = Self.report(cProduce: nil)
        let object = try Self.object(report)
        #expect(object["c_produce_msgs_per_s"] is NSNull)
        #expect(object["activations_per_1000_c_msgs"] is NSNull)
        #expect(!report.text.contains("raw C"))
    }

    @Test("how many activations the database held before the run is in text and JSON: the figures fall as it fills")
    func storedBefore() throws {
        var report = Self.report(cProduce: nil)
        #expect(try Self.object(report)["activations_stored_before"] is NSNull)
        report.activationsStoredBefore = 40_000
        #expect(try Self.object(report)["activations_stored_before"] as? Int == 40_000)
        #expect(report.text.contains("PostgreSQL            durable (fsync and synchronous commit on), holding 40000 activations before the run"))
    }

    @Test("the machine's CPU per 1,000 activations and what of it is neither the workers' nor PostgreSQL's, idle share")
    func machineCPU() throws {
        var report = Self.report(cProduce: nil)
        #expect(try Self.object(report)["machine_cpu_s_per_1000_activations"] is NSNull)
        #expect(!report.text.contains("machine CPU"))
        report.machineCPUSecondsPer1000 = 2.5
        report.machineIdleShare = 0.012
        let object = try Self.object(report)
        #expect(object["machine_cpu_s_per_1000_activations"] as? Double == 2.5)
        #expect(object["machine_idle_share"] as? Double == 0.012)
        #expect(report.text.contains(
            "machine CPU           2.50 s per 1,000 activations (0.50 besides the workers and PostgreSQL: simulator, broker, this bench), 1% idle"))
    }

    @Test("the WAL written per activation is in text and JSON; records are left out when the server has no pg_stat_wal")
    func writeAheadLog() throws {
        var report = Self.report(cProduce: nil)
        #expect(try Self.object(report)["pg_wal_records_per_activation"] is NSNull)
        #expect(try Self.object(report)["pg_wal_kb_per_activation"] is NSNull)
        #expect(!report.text.contains("PostgreSQL WAL"))
        report.walBytesPerActivation = 19_128.4
        #expect(try Self.object(report)["pg_wal_records_per_activation"] is NSNull)
        #expect(try Self.object(report)["pg_wal_kb_per_activation"] as? Double == 19.1)
        #expect(report.text.contains("PostgreSQL WAL        19.1 kB per activation"))
        report.walRecordsPerActivation = 93.14
        #expect(try Self.object(report)["pg_wal_records_per_activation"] as? Double == 93.1)
        #expect(report.text.contains("PostgreSQL WAL        93.1 records, 19.1 kB per activation"))
    }

    @Test("two WAL readings give the records and bytes per activation; records only when both readings have them")
    func walReadings() {
        let start = PostgresWAL(bytes: 1_000_000, records: 50)
        let end = PostgresWAL(bytes: 1_000_000 + 2 * 19_000, records: 50 + 2 * 94)
        let both = end.perActivation(since: start, activations: 2)
        #expect(both.records == 94)
        #expect(both.bytes == 19_000)
        #expect(end.perActivation(since: PostgresWAL(bytes: 1_000_000, records: nil), activations: 2).records == nil)
    }

    @Test("PostgreSQL's shared_buffers is in text and JSON: below the rows a run writes, backends write pages out")
    func sharedBuffers() throws {
        var report = Self.report(cProduce: nil)
        #expect(try Self.object(report)["postgres_shared_buffers"] is NSNull)
        report.postgresSharedBuffers = "1GB"
        #expect(try Self.object(report)["postgres_shared_buffers"] as? String == "1GB")
        #expect(report.text.contains("PostgreSQL            durable (fsync and synchronous commit on), shared_buffers 1GB"))
    }

    @Test("the wait before a worker starts a request, and its part in admission: bucket bounds in text and JSON")
    func requestWait() throws {
        var report = Self.report(cProduce: nil)
        var object = try Self.object(report)
        #expect(object["request_wait_p99_ms"] is NSNull)
        #expect(object["admission_wait_p99_ms"] is NSNull)
        #expect(object["request_wait_p99_above_ms"] == nil)
        #expect(report.text.contains("wait before start     p99 –, in admission p99 –"))
        report.requestWaitP99Milliseconds = 250
        report.admissionWaitP99Milliseconds = .infinity
        object = try Self.object(report)
        #expect(object["request_wait_p99_ms"] as? Double == 250)
        #expect(object["admission_wait_p99_ms"] is NSNull)
        #expect(object["admission_wait_p99_above_ms"] as? Int == 30_000)
        #expect(object["lateness_p99_ms"] as? Double == 5)
        #expect(report.text.contains(
            "wait before start     p99 ≤ 250 ms (bucket bound), in admission p99 > 30000 ms (beyond the last bucket)"))
        #expect(object["purchase_call_p99_ms"] is NSNull)
        report.purchaseCallP99Milliseconds = 25
        #expect(try Self.object(report)["purchase_call_p99_ms"] as? Double == 25)
        #expect(report.text.contains("purchase call         p99 ≤ 25 ms (bucket bound)"))
    }

    @Test("a histogram's buckets can be read for one label value: the purchases' among every action's")
    func bucketsByLabel() {
        let page = PrometheusText("""
            otppool_supplier_call_duration_seconds_bucket{supplier="a",action="purchase",le="0.01"} 3
            otppool_supplier_call_duration_seconds_bucket{supplier="a",action="purchase",le="+Inf"} 4
            otppool_supplier_call_duration_seconds_bucket{supplier="b",action="purchase",le="0.01"} 1
            otppool_supplier_call_duration_seconds_bucket{supplier="b",action="purchase",le="+Inf"} 1
            otppool_supplier_call_duration_seconds_bucket{supplier="a",action="finish",le="0.01"} 0
            otppool_supplier_call_duration_seconds_bucket{supplier="a",action="finish",le="+Inf"} 9
            """)
        #expect(page.buckets("otppool_supplier_call_duration_seconds", labels: ["action": "purchase"]) == [0.01: 4, .infinity: 5])
        #expect(page.buckets("otppool_supplier_call_duration_seconds") == [0.01: 4, .infinity: 14])
    }

    @Test("the baseline's topic holds every record it reads back: about 4 MB per partition, at least the run's")
    func baselinePartitions() {
        #expect(CBaseline.partitions(messages: 300_000, size: 300, least: 12) == 28)
        #expect(CBaseline.partitions(messages: 1_000, size: 300, least: 12) == 12)
    }

    @Test("a missing C baseline says how to build it")
    func missingBaseline() {
        let error = #expect(throws: ValidationError.self) { try CBaseline(path: "/nonexistent/kafka-bench-c") }
        #expect(error?.message.contains("swift build -c release --product kafka-bench-c") == true)
    }

    @Test("the broker creates --extra-topics besides the workflow's")
    func brokerExtraTopics() throws {
        let command = try BrokerCommand.parse(["--extra-topics", "bench.c-baseline:28", "other"])
        #expect(command.extraTopics == [TopicSpec(name: "bench.c-baseline", partitions: 28), TopicSpec(name: "other", partitions: 1)])
        #expect(command.topics.isEmpty)
    }
}
