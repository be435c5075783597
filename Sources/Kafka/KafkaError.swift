import CRdKafka

/// The one error type of the Kafka module.
///
/// Carries librdkafka's error code and text where there is one, and says whether trying again
/// (the same call, later) can succeed.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; extensible without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case invalidConfiguration, clientCreation, brokerUnreachable, delivery, produce
            case consume, commit, subscription, partitionControl, admin, embeddedCluster, closed
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// A configuration property has an unknown name or an invalid value.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// librdkafka refused to create the client.
        public static let clientCreation = Code(.clientCreation)
        /// No broker answered within the deadline.
        public static let brokerUnreachable = Code(.brokerUnreachable)
        /// A produced message was not delivered (its delivery report carried an error).
        public static let delivery = Code(.delivery)
        /// librdkafka refused to enqueue a message.
        public static let produce = Code(.produce)
        /// The consumer reported an error for a partition or the group.
        public static let consume = Code(.consume)
        /// Storing or committing offsets failed.
        public static let commit = Code(.commit)
        /// Subscribing to topics failed.
        public static let subscription = Code(.subscription)
        /// Pausing, resuming or querying partitions failed.
        public static let partitionControl = Code(.partitionControl)
        /// An admin operation (creating topics) failed.
        public static let admin = Code(.admin)
        /// The embedded mock cluster could not be started or steered.
        public static let embeddedCluster = Code(.embeddedCluster)
        /// The client was already closed.
        public static let closed = Code(.closed)

        public var description: String { "\(kind)" }
    }

    /// What kind of failure this is.
    public let code: Code
    /// librdkafka's error code, when the failure came from librdkafka.
    public let rdKafkaCode: Int32?
    /// librdkafka's name for `rdKafkaCode` (e.g. `_MSG_TIMED_OUT`), when there is one.
    public let rdKafkaName: String?
    /// What went wrong and what to do about it.
    public let message: String
    /// Whether the same operation can succeed when tried again later.
    public let isRetriable: Bool

    init(_ code: Code, _ message: String, rdKafkaCode: rd_kafka_resp_err_t? = nil, isRetriable: Bool? = nil) {
        self.code = code
        self.message = message
        self.rdKafkaCode = rdKafkaCode.map { $0.rawValue }
        self.rdKafkaName = rdKafkaCode.map { String(cString: rd_kafka_err2name($0)) }
        self.isRetriable = isRetriable ?? rdKafkaCode.map(Self.isRetriable) ?? false
    }

    /// Builds an error from a librdkafka response code, with librdkafka's own explanation appended.
    static func rdKafka(_ code: Code, _ context: String, _ err: rd_kafka_resp_err_t) -> KafkaError {
        let text = String(cString: rd_kafka_err2str(err))
        return KafkaError(code, "\(context): \(text)", rdKafkaCode: err)
    }

    /// Errors after which the same request can succeed once the cluster recovers.
    static func isRetriable(_ err: rd_kafka_resp_err_t) -> Bool {
        switch err {
        case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT,
            RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE,
            RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR__PURGE_INFLIGHT, RD_KAFKA_RESP_ERR__PURGE_QUEUE,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
            RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
            RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
            RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
            RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE:
            return true
        default:
            return false
        }
    }

    public var description: String {
        if let rdKafkaName { return "Kafka \(code) error [\(rdKafkaName)]: \(message)" }
        return "Kafka \(code) error: \(message)"
    }
}
