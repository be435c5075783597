import Kafka
import Logging
import ServiceLifecycle
import UnixSignals

/// `otppool broker --fault-signals`: faults on demand for the fault suite, by signal, so the cluster can stay a
/// separate process. SIGUSR1: every broker down for a while, then up again. SIGUSR2: one round of request
/// errors (coordinator moves, timeouts, leader changes) and partition leaders moved to the next broker.
struct ClusterFaultService: Service {
    let cluster: EmbeddedKafkaCluster
    let topics: [TopicSpec]
    let brokers: Int32
    let downFor: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var round: Int32 = 0
            for await signal in await UnixSignalsSequence(trapping: .sigusr1, .sigusr2) {
                do {
                    if signal == .sigusr1 {
                        logger.notice("fault: every broker down for \(downFor)")
                        try cluster.setBrokerDown()
                        try? await Task.sleep(for: downFor)
                        try cluster.setBrokerUp()
                        logger.notice("fault: brokers up again")
                    } else {
                        round += 1
                        injectErrors()
                        if brokers > 1 { try moveLeaders(round: round) }
                        logger.notice("fault: request errors injected, leaders moved", metadata: ["fault.round": "\(round)"])
                    }
                } catch {
                    logger.warning("fault injection failed: \(error)")
                }
            }
        }
    }

    private func injectErrors() {
        cluster.pushRequestErrors(.offsetCommit, [.notCoordinator, .requestTimedOut])
        cluster.pushRequestErrors(.heartbeat, [.notCoordinator])
        cluster.pushRequestErrors(.produce, [.requestTimedOut, .notLeaderForPartition])
        cluster.pushRequestErrors(.fetch, [.notLeaderForPartition, .requestTimedOut])
        cluster.pushRequestErrors(.findCoordinator, [.coordinatorNotAvailable])
    }

    private func moveLeaders(round: Int32) throws {
        for topic in topics {
            for partition in 0..<Int32(topic.partitions) {
                try cluster.setPartitionLeader(topic: topic.name, partition: partition, brokerID: (partition + round) % brokers + 1)
            }
        }
    }
}
