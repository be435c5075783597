import Basics
import Postgres

extension ActivationStore {
    /// Runs a batch of intakes or steps (``IntakeBatch``, ``StepBatch``) as one statement and answers each entry.
    ///
    /// - One entry per activation and statement: a later entry of a request already in the batch is not run and
    ///   goes in the next batch.
    /// - In request ID order: a statement locks rows in the order it is given them, so two batches that share
    ///   activations (a redelivered input, a takeover) wait for each other instead of deadlocking.
    /// - At the priority of the most urgent entry.
    /// - When the statement fails (an entry breaks a rule and takes the others' transaction with it), each entry
    ///   is written again alone, for its own outcome; so is an entry `decidedAlone` says the batch may have decided
    ///   differently from the entry alone.
    /// - A cancelled leading caller fails alone; the other entries are not run (they go to the next batch).
    ///
    /// - Parameter write: Runs the statement for some entries and returns what it wrote, by request ID (an entry
    ///   it did not write is absent).
    static func answer<Entry: Sendable, Output: Sendable>(
        _ entries: [Entry], requestID: (Entry) -> String, priority: (Entry) -> PostgresPool.Priority,
        decidedAlone: (Output?) -> Bool = { _ in false },
        write: ([Entry]) async throws -> [String: Output]
    ) async -> [CallBatcher<Entry, Output?>.Answer] {
        var seen = Set<String>()
        let ids = entries.map(requestID)
        let later = ids.map { !seen.insert($0).inserted }
        // Sorted as indices: an entry is a large value, and sorting the entries copied them at every move.
        let order = ids.indices.filter { !later[$0] }.sorted { ids[$0] < ids[$1] }
        let batch = order.map { entries[$0] }
        let urgent = batch.contains { priority($0) == .urgent }
        return await PostgresPool.$priority.withValue(urgent ? .urgent : .normal) {
            var written: [String: Result<Output?, any Error>] = [:]
            var failedTogether = false
            do {
                written = try await write(batch).mapValues { .success($0) }
            } catch let error as CancellationError {
                return [.done(.failure(error))] + Array(repeating: .notRun, count: entries.count - 1)
            } catch let error as PostgresError where error.code == .queryFailed && batch.count > 1 {
                failedTogether = true
            } catch {
                return Array(repeating: .done(.failure(error)), count: entries.count)
            }
            if batch.count > 1 {
                for index in order where failedTogether || decidedAlone(try? written[ids[index]]?.get()) {
                    let id = ids[index]
                    do {
                        written[id] = .success(try await write([entries[index]])[id])
                    } catch {
                        written[id] = .failure(error)
                    }
                }
            }
            return zip(ids, later).map { id, later in
                later ? .notRun : .done(written[id] ?? .success(nil))
            }
        }
    }
}
