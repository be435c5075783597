import Activation
import Foundation
import HostileInput
import Kafka
import Pool
import Synchronization
import TestSupport
import Testing

/// The generated hostile set, sent over Kafka to one running worker: no crash, every input accounted for.
///
/// What is sent: every input of ``HostileInputGenerator``, with oversized values of 100,000 bytes instead of 10 MB
/// and nesting up to 10,000 levels instead of 100,000. librdkafka refuses to produce a message above its
/// `message.max.bytes` (1,000,000 by default), so a 10 MB message never reaches a worker over Kafka with default
/// settings; `HostileInputTests` checks 10 MB values on the decoder. And the embedded cluster (librdkafka's mock
/// broker) keeps at most 5 MB per partition, dropping the oldest records beyond that, while the dead-letter
/// topic receives a copy of nearly every input (twice for those a rebalance redelivers): the set must stay well
/// below 5 MB in all, and the harness spreads dead letters over three partitions. A
/// 100,000-byte value is still above the worker's 64 KiB message limit, so it is refused as `oversize`.
@Suite("Activation worker: generated hostile requests and commands (embedded cluster, PostgreSQL, simulator)")
struct HostileInputWorkerTests {
    static let configuration = HostileInputGenerator.Configuration(
        seed: 11, oversizedValueBytes: 100_000, maxNestingDepth: 10_000)
    /// What the embedded cluster keeps of one partition, with room to spare (librdkafka's mock broker: 5 MB).
    static let partitionBudget = 4_000_000
    /// The unfunded account's balance: below the template's max price, so no hostile request can hold it.
    static let unfundedBalance: Int64 = 1_000
    static let payerBalance: Int64 = 1_000_000

    @Test("≥ 1,000 hostile requests and commands: the worker survives, each is refused as expected, nothing is bought")
    func everyHostileInputIsAccountedFor() async throws {
        let inputs = Array(HostileInputGenerator(configuration: Self.configuration))
        let template = Self.configuration.template
        let accepted = inputs.filter { $0.expected == .accepted }
        #expect(inputs.count { $0.isHostile && $0.topic == .requests } >= 1_000)
        #expect(inputs.count { $0.isHostile && $0.topic == .commands } >= 1_000)
        let bytes = inputs.reduce(0) { $0 + $1.bytes.count }
        try #require(bytes < Self.partitionBudget, "the dead-letter topic's partition must keep all \(bytes) bytes")

        try await WorkerHarness.run { harness in
            try await harness.store.upsertAccount(Account(
                id: template.accountID, email: "hostile@example.com", balanceMinor: Self.unfundedBalance,
                currency: template.currency))
            try await harness.store.upsertAccount(Account(
                id: template.payingAccountID, email: "payer@example.com", balanceMinor: Self.payerBalance,
                currency: template.currency))
            let observations = Observations()
            let observer = try observations.start(harness)
            let worker = try harness.startWorker()
            do {
                // The originals of duplicate pairs first: their key must be taken before the second halves arrive.
                try await Self.produce(inputs.filter { $0.after == nil }, to: harness)
                try await waitUntil("the \(accepted.count) originals of duplicate pairs started", timeout: .seconds(60)) {
                    observations.read { state in accepted.allSatisfy { state.started.contains($0.requestID ?? "") } }
                }
                try await Self.produce(inputs.filter { $0.after != nil }, to: harness)
                try await Self.waitUntilSettled(inputs, observations, worker)

                // Still alive: a valid request sent afterwards runs to completion.
                let valid = WorkerHarness.request(
                    account: template.payingAccountID, countries: [template.country],
                    maxPriceMinor: template.maxPriceMinor)
                try await harness.submit(valid)
                _ = try await harness.events.waitFor(.completed, of: valid.requestID)
                let paid = accepted.compactMap(\.requestID) + [valid.requestID]
                try await waitUntil("every accepted activation completed", timeout: .seconds(60)) {
                    observations.read { state in paid.allSatisfy(state.completed.contains) }
                }
                #expect(worker.worker.hasJoined)
                #expect(worker.processed >= inputs.count + 1)

                let state = observations.read { $0 }
                let mismatches = Self.mismatches(inputs, state)
                #expect(mismatches.isEmpty, "\(mismatches.count) inputs not as expected, e.g. \(mismatches.prefix(20))")
                Self.checkNothingUnexpected(inputs, paid: Set(paid), state)
                try await Self.checkMoney(harness, paid: paid, template: template)
                try await Self.checkStoredVerbatim(inputs, harness)
                Self.report(inputs, state)
            } catch {
                await worker.cancel()
                await observer.stop()
                throw error
            }
            try await worker.stop()
            await observer.stop()
        }
    }

    /// Sends `inputs` to their topics, keyed by their IDs, as one batch.
    static func produce(_ inputs: [HostileInput], to harness: WorkerHarness) async throws {
        let messages = inputs.map { input in
            KafkaProducerMessage(
                topic: input.topic == .requests ? harness.topics.requests : harness.topics.commands, key: input.key,
                value: input.bytes)
        }
        let reports = await harness.producer.send(messages)
        _ = try reports.get()
    }

    /// Waits until every input has an outcome: what it expects, or anything that contradicts it.
    /// On a timeout, says whether the worker or the observer fell behind: the worker's count and its lag.
    static func waitUntilSettled(_ inputs: [HostileInput], _ observations: Observations, _ worker: RunningWorker) async throws {
        do {
            try await waitUntil("an outcome for each of \(inputs.count) inputs", timeout: .seconds(60)) {
                observations.read { state in inputs.allSatisfy { state.isSettled($0) } }
            }
        } catch {
            let open = observations.read { state in inputs.filter { !state.isSettled($0) } }
            let lag = (try? await worker.worker.lag()).map { "\($0)" } ?? "unknown"
            let examples = open.prefix(10).map(\.description)
            Issue.record(
                "\(open.count) inputs without an outcome, e.g. \(examples); the worker processed \(worker.processed) of \(inputs.count), its lag: \(lag)")
            throw error
        }
    }

    /// Each input whose observed outcome is not the expected one, described.
    static func mismatches(_ inputs: [HostileInput], _ state: Observations.State) -> [String] {
        var mismatches: [String] = []
        for input in inputs {
            let observed = state.outcome(of: input)
            if observed != input.expected {
                mismatches.append("\(input): observed \(observed.map(\.description) ?? "nothing")")
            }
            if let requestID = input.requestID, input.topic == .requests, let code = input.expected.reasonCode,
               !(state.rejected[requestID] ?? []).contains(code.rawValue) {
                mismatches.append("\(input): no rejected event with \(code) for \(requestID)")
            }
            if let letter = state.deadLetters[input.key],
               letter.sourceTopic != input.topic.rawValue || letter.reason.isEmpty {
                mismatches.append("\(input): dead letter from \(letter.sourceTopic) with reason '\(letter.reason)'")
            }
        }
        return mismatches
    }

    /// No dead letter, event or purchase for anything the generator did not send or expect.
    static func checkNothingUnexpected(_ inputs: [HostileInput], paid: Set<String>, _ state: Observations.State) {
        let keys = Set(inputs.map(\.key))
        #expect(state.deadLetters.keys.allSatisfy(keys.contains), "dead letters only for generated inputs")
        let named = Set(inputs.compactMap(\.requestID))
        #expect(Set(state.rejected.keys).subtracting(named).isEmpty, "rejected events only for readable request IDs")
        let commands = Set(inputs.compactMap(\.commandID))
        #expect(Set(state.commandRejected.keys).subtracting(commands).isEmpty)
        #expect(state.started == paid, "numbers only for the originals and the valid request")
    }

    /// The simulator sold one number per accepted request and none for any hostile one; only the payer's
    /// balance moved, by exactly the prices of its activations; nothing is held.
    static func checkMoney(_ harness: WorkerHarness, paid: [String], template: HostileTemplate) async throws {
        let audit = harness.simulator.audit()
        #expect(audit.purchases == paid.count)
        #expect(audit.references == paid.count)
        #expect(audit.duplicateReferences.isEmpty)
        var prices: Int64 = 0
        for requestID in paid {
            #expect(harness.simulator.reference("\(requestID).1").activationIDs.count == 1, "\(requestID)")
            let stored = try #require(try await harness.store.activation(requestID: requestID))
            #expect(stored.state == .completed)
            prices += try #require(stored.machine.currentAttempt?.number?.priceMinor)
        }
        let unfunded = try #require(try await harness.store.account(id: template.accountID))
        #expect(unfunded.balanceMinor == Self.unfundedBalance && unfunded.heldMinor == 0)
        let payer = try #require(try await harness.store.account(id: template.payingAccountID))
        #expect(payer.balanceMinor == Self.payerBalance - prices && payer.heldMinor == 0)
        #expect(try await harness.store.account(id: template.unknownAccountID) == nil)
    }

    /// Requests refused at intake for the unfunded account are on record as sent: injection strings in their
    /// metadata went to PostgreSQL as bound parameters, unchanged.
    static func checkStoredVerbatim(_ inputs: [HostileInput], _ harness: WorkerHarness) async throws {
        let refused = inputs.filter { $0.expected == .rejected(.insufficientBalance) }
        #expect(refused.contains { $0.category == .injection })
        for input in refused {
            let sent = try WireDecoder().decodeRequest(input.bytes)
            let stored = try #require(try await harness.store.activation(requestID: sent.requestID), "\(input)")
            #expect(stored.state == .rejected)
            #expect(stored.request == sent, "\(input)")
        }
    }

    /// What was measured, for the record: outcomes by where they were seen and reason code.
    static func report(_ inputs: [HostileInput], _ state: Observations.State) {
        var tally: [String: Int] = [:]
        for input in inputs {
            let observed = state.outcome(of: input).map(\.description) ?? "nothing"
            tally["\(input.topic.rawValue) \(observed)", default: 0] += 1
        }
        let lines = tally.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
        print("hostile inputs: \(inputs.count) sent, \(state.deadLetters.count) dead letters")
        print(lines.joined(separator: "\n"))
    }
}

extension HostileInputWorkerTests {
    /// What the worker made of the inputs, read from the events and dead-letter topics.
    final class Observations: Sendable {
        /// A record on the dead-letter topic.
        struct DeadLetter: Sendable {
            var code: String
            var reason: String
            /// `requests` or `commands`, from the `dlq-source-topic` header.
            var sourceTopic: String
        }

        struct State: Sendable {
            /// By Kafka key (the input's ID).
            var deadLetters: [String: DeadLetter] = [:]
            /// Reason codes of `rejected` events, by request ID.
            var rejected: [String: Set<String>] = [:]
            /// Reason codes of `command_rejected` events, by command ID.
            var commandRejected: [String: Set<String>] = [:]
            /// Request IDs with a `number_allocated` event.
            var started: Set<String> = []
            /// Request IDs with a `completed` event.
            var completed: Set<String> = []

            /// The outcome seen for `input` so far, nil when none.
            func outcome(of input: HostileInput) -> HostileOutcome? {
                if let letter = self.deadLetters[input.key] { return .deadLettered(RejectionReason.Code(letter.code)) }
                if input.expected == .accepted, let requestID = input.requestID, self.started.contains(requestID) {
                    return .accepted
                }
                // A second half that reuses its original's request ID shares the original's events: its own
                // is the rejection.
                let codes = switch input.topic {
                case .requests: input.requestID.flatMap { self.rejected[$0] } ?? []
                case .commands: input.commandID.flatMap { self.commandRejected[$0] } ?? []
                }
                if !codes.isEmpty { return .rejected(RejectionReason.Code(codes.sorted().joined(separator: "+"))) }
                if let requestID = input.requestID, self.started.contains(requestID) { return .accepted }
                return nil
            }

            /// Whether `input` has all the outcome it expects, or something that contradicts it.
            func isSettled(_ input: HostileInput) -> Bool {
                guard let outcome = self.outcome(of: input) else { return false }
                guard outcome == input.expected, case .deadLettered(let code) = outcome, let requestID = input.requestID
                else { return true }
                return self.rejected[requestID]?.contains(code.rawValue) == true
            }
        }

        private let state = Mutex(State())

        func read<T>(_ body: (State) -> T) -> T { self.state.withLock { body($0) } }

        /// Starts reading the harness's events and dead-letter topics from their start.
        func start(_ harness: WorkerHarness) throws -> Reader {
            let group = uniqueName("hostile-observer")
            let consumer = try KafkaConsumer(
                configuration: PoolTestSupport.consumerConfiguration(harness.cluster, group: group),
                logger: PoolTestSupport.logger)
            try consumer.subscribe(topics: [harness.topics.events, harness.topics.deadLetters])
            let topics = harness.topics
            let task = Task {
                for await event in consumer.events {
                    guard case .messages(let batch) = event else { continue }
                    self.record(batch, topics: topics)
                }
            }
            return Reader(consumer: consumer, task: task)
        }

        private func record(_ batch: [KafkaMessage], topics: ActivationTopics) {
            let decoder = WireDecoder()
            self.state.withLock { state in
                for message in batch {
                    if message.topic == topics.deadLetters {
                        let source = message.header("dlq-source-topic")?.stringValue ?? ""
                        state.deadLetters[message.keyString ?? ""] = DeadLetter(
                            code: message.header("dlq-reason-code")?.stringValue ?? "",
                            reason: message.header("dlq-reason")?.stringValue ?? "",
                            sourceTopic: [topics.requests: "requests", topics.commands: "commands"][source] ?? source)
                        continue
                    }
                    guard let event = try? decoder.decodeEvent(message.value) else { continue }
                    switch event.kind {
                    case .rejected: state.rejected[event.requestID, default: []].insert(event.reasonCode ?? "")
                    case .commandRejected:
                        state.commandRejected[event.commandID ?? "", default: []].insert(event.reasonCode ?? "")
                    case .numberAllocated: state.started.insert(event.requestID)
                    case .completed: state.completed.insert(event.requestID)
                    default: break
                    }
                }
            }
        }

        /// A running reader of the topics.
        struct Reader: Sendable {
            let consumer: KafkaConsumer
            let task: Task<Void, Never>

            func stop() async {
                await self.consumer.close()
                self.task.cancel()
                await self.task.value
            }
        }
    }
}
