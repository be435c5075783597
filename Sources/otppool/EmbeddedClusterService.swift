import Foundation
import Kafka
import ServiceLifecycle

/// Keeps the embedded cluster up until graceful shutdown, then stops it.
struct EmbeddedClusterService: Service {
    let cluster: EmbeddedKafkaCluster
    let bootstrapFile: String?

    func run() async throws {
        try? await gracefulShutdown()
        if let bootstrapFile { try? FileManager.default.removeItem(atPath: bootstrapFile) }
        await cluster.shutdown()
    }
}
