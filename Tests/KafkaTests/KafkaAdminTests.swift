import Kafka
import TestSupport
import Testing

@Suite("Kafka admin")
struct KafkaAdminTests {
    // The embedded cluster has no CreateTopics API, so this checks the failure path only: the call
    // must come back within its deadline with an admin error, not hang. Real clusters are covered
    // by running the pool against one (README, "Against a real Kafka").
    @Test("createTopics on a cluster that does not answer fails within its deadline")
    func createTopicsDeadline() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: KafkaTestSupport.logger)
        let admin = try KafkaAdmin(options: KafkaClientOptions(bootstrapServers: [cluster.bootstrapServers]), logger: KafkaTestSupport.logger)
        let started = ContinuousClock.now
        let error = await #expect(throws: KafkaError.self) {
            try await admin.createTopics([KafkaAdmin.TopicSpec(name: uniqueName("admin"), partitions: 3, replicationFactor: 1)], timeout: .seconds(2))
        }
        #expect(error?.code == .admin)
        #expect(error?.isRetriable == true)
        #expect(ContinuousClock.now - started < .seconds(60), "ends by its 2 s deadline; the bound only guards against a hang on a loaded CI machine")
        await admin.close()
        await cluster.shutdown()
    }
}
