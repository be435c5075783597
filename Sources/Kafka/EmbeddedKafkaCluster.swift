import Basics
import CRdKafka
import Logging

/// librdkafka's mock cluster, hosted in this process: a real Kafka-protocol broker set on loopback.
///
/// It serves producers, consumer groups and idempotent producers like a real cluster, and lets
/// tests inject faults: brokers down and up, request errors, round-trip time, leader moves.
/// Topics must be created here (`createTopic`) because the mock cluster has no CreateTopics API.
public final class EmbeddedKafkaCluster: Sendable {
    private let host: RDKafkaClient
    private let cluster: MockClusterHandle

    /// The brokers' addresses, comma separated, for `bootstrap.servers`.
    public let bootstrapServers: String
    /// How many brokers the cluster has; their IDs are 1 through `brokerCount`.
    public let brokerCount: Int

    /// Starts a cluster with `brokers` brokers listening on loopback ports.
    ///
    /// - Throws: `KafkaError.Code.embeddedCluster` when librdkafka cannot start it.
    public init(brokers: Int = 3, logger: Logger) throws {
        let callbacks = RDKafkaCallbacks(name: "embedded-cluster", logger: logger)
        let host = try RDKafkaClient(kind: .producer, properties: ["client.id": "otppool-embedded-cluster"], callbacks: callbacks)
        guard let cluster = rd_kafka_mock_cluster_new(host.handle, Int32(brokers)) else {
            rd_kafka_destroy(host.handle)
            throw KafkaError(.embeddedCluster, "librdkafka could not start a mock cluster of \(brokers) brokers")
        }
        self.host = host
        self.cluster = MockClusterHandle(pointer: cluster)
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        self.brokerCount = brokers
    }

    /// Creates a topic; creating an existing topic again fails.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws {
        let err = rd_kafka_mock_topic_create(cluster.pointer, name, Int32(partitions), Int32(replicationFactor))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError.rdKafka(.embeddedCluster, "cannot create topic '\(name)' with \(partitions) partitions", err)
        }
    }

    /// Disconnects a broker (or all, with `nil`) and refuses new connections until `setBrokerUp`.
    public func setBrokerDown(_ brokerID: Int32? = nil) throws {
        try check(rd_kafka_mock_broker_set_down(cluster.pointer, brokerID ?? -1), "take broker \(brokerID ?? -1) down")
    }

    /// Lets a broker (or all, with `nil`) accept connections again.
    public func setBrokerUp(_ brokerID: Int32? = nil) throws {
        try check(rd_kafka_mock_broker_set_up(cluster.pointer, brokerID ?? -1), "bring broker \(brokerID ?? -1) up")
    }

    /// Delays every response of a broker (or all, with `nil`) by `rtt`.
    public func setRoundTripTime(_ rtt: Duration, brokerID: Int32? = nil) throws {
        try check(rd_kafka_mock_broker_set_rtt(cluster.pointer, brokerID ?? -1, Int32(rtt.milliseconds)), "set the round-trip time")
    }

    /// Makes the next requests of one API fail with these error codes, one per request, in order.
    public func pushRequestErrors(_ api: KafkaAPI, _ errors: [KafkaProtocolError]) {
        var codes = errors.map { rd_kafka_resp_err_t($0.code) }
        rd_kafka_mock_push_request_errors_array(cluster.pointer, api.key, codes.count, &codes)
    }

    /// Forgets request errors pushed for one API and not yet consumed.
    public func clearRequestErrors(_ api: KafkaAPI) {
        rd_kafka_mock_clear_request_errors(cluster.pointer, api.key)
    }

    /// Moves a partition's leadership to another broker (a leader change).
    public func setPartitionLeader(topic: String, partition: Int32, brokerID: Int32) throws {
        try check(rd_kafka_mock_partition_set_leader(cluster.pointer, topic, partition, brokerID), "move the leader of \(topic)[\(partition)]")
    }

    /// Stops the cluster; clients still connected see their brokers disappear.
    public func shutdown() async {
        _ = try? await host.blocking { [cluster] _ in rd_kafka_mock_cluster_destroy(cluster.pointer) }
        await host.destroy()
    }

    private func check(_ err: rd_kafka_resp_err_t, _ what: String) throws {
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError.rdKafka(.embeddedCluster, "cannot \(what)", err) }
    }
}

/// The mock cluster pointer, shareable across threads.
private struct MockClusterHandle: @unchecked Sendable {
    // @unchecked: rd_kafka_mock_* functions take the cluster's own lock; the pointer is immutable
    // and valid until `EmbeddedKafkaCluster.shutdown()`.
    let pointer: OpaquePointer
}
