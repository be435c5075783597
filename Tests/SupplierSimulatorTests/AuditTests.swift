import Foundation
import SupplierSimulator
import Suppliers
import Testing

@Suite("Simulator audit")
struct AuditTests {
    @Test("the HTTP audit equals the in-process one; references and activations are looked up")
    func httpAudit() async throws {
        // A supplier that sells again under a repeated reference: the audit names the double purchase.
        try await withSimulator(SimulatorConfiguration(referenceReplay: false, defaultOffer: OfferBehaviour(smsDelay: .never))) { sim in
            let first = try await sim.client.buy(try sim.order(reference: "dup"))
            let second = try await sim.client.buy(try sim.order(reference: "dup"))
            _ = try await sim.client.buy(try sim.order(reference: "single"))
            let overHTTP = try await sim.json("/sim/audit", as: SimulatorAudit.self)
            #expect(overHTTP == sim.simulator.audit())
            #expect(overHTTP.duplicateReferences == ["dup"])
            #expect(overHTTP.purchases == 3 && overHTTP.references == 2 && overHTTP.totalPending == 30)
            let reference = try await sim.json("/sim/audit/references/dup", as: ReferenceAudit.self)
            #expect(reference.activationIDs == [first.activationID, second.activationID] && reference.attempts == 2)
            let activation = try await sim.json("/sim/audit/activations/\(first.activationID)", as: ActivationAudit.self)
            #expect(activation.reference == "dup" && activation.service == "tg" && activation.country == 0 && activation.price == 10)
            let missing = try await sim.get("/sim/audit/activations/1")
            #expect(missing.status == 404)
        }
    }

    @Test("the activation list holds every activation ever sold, settled and sorted by id, over HTTP and in process")
    func activationList() async throws {
        try await withSimulator(SimulatorConfiguration(defaultOffer: OfferBehaviour(smsDelay: .never))) { sim in
            #expect(try await sim.json("/sim/audit/activations", as: ActivationAuditList.self).activations.isEmpty)
            let refunded = try await sim.client.buy(try sim.order(reference: "refund"))
            sim.simulator.update { $0.defaultOffer.smsDelay = .fixed(5) }
            let charged = try await sim.client.buy(try sim.order(reference: "charge"))
            let open = try await sim.client.buy(try sim.order("wa", "usa", maxPrice: 12, reference: "open"))
            sim.simulator.advance(by: .seconds(121))
            try await sim.client.cancel(refunded.activationID)
            try await sim.client.finish(charged.activationID)

            let overHTTP = try await sim.json("/sim/audit/activations", as: ActivationAuditList.self).activations
            let inProcess = sim.simulator.activations()
            #expect(overHTTP.map(\.id) == [refunded, charged, open].map(\.activationID))
            #expect(inProcess.map(\.id) == overHTTP.map(\.id) && inProcess.map(\.status) == overHTTP.map(\.status))
            #expect(overHTTP.map(\.status) == ["cancelled", "finished", "code_received"], "settled: the open one got its code")
            #expect(overHTTP.map(\.refunded) == [true, false, false] && overHTTP.map(\.charged) == [false, true, true])
            #expect(overHTTP.map(\.reference) == ["refund", "charge", "open"])
            #expect(overHTTP.allSatisfy { $0.currency == "USD" && $0.price == 10 })
            #expect(overHTTP.map(\.maxPrice) == [nil, nil, 12])
        }
    }

    @Test("under concurrent mixed traffic the money adds up: purchased = charged + refunded + pending")
    func moneyIdentity() async throws {
        let configuration = SimulatorConfiguration(
            referenceReplay: false, seed: 11, defaultOffer: OfferBehaviour(smsDelay: .uniform(min: 0, max: 240), noNumbersRate: 0.1)
        )
        try await withSimulator(configuration) { sim in
            let client = sim.client
            let (ids, failures) = await withTaskGroup(of: Result<String, any Error>.self) { group in
                for index in 0..<400 {
                    group.addTask {
                        do {
                            return .success(try await client.buy(try sim.order(reference: "r\(index % 350)")).activationID)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var ids: [String] = []
                var failures: [any Error] = []
                for await result in group {
                    switch result {
                    case .success(let id): ids.append(id)
                    case .failure(let error): failures.append(error)
                    }
                }
                return (ids, failures)
            }
            #expect(
                failures.allSatisfy { ($0 as? SupplierError)?.code == .noInventory },
                "the only refusal is the offer's no-numbers rate: \(failures)"
            )
            #expect(Set(ids).count == ids.count, "activation ids are unique")
            sim.simulator.advance(by: .seconds(121))
            await withTaskGroup(of: Void.self) { group in
                for (index, id) in ids.enumerated() {
                    group.addTask {
                        switch index % 3 {
                        case 0: try? await client.cancel(id)
                        case 1: try? await client.finish(id)
                        default: _ = try? await client.status(of: id)
                        }
                    }
                }
            }
            let audit = sim.simulator.audit()
            #expect(audit.purchases == ids.count)
            #expect(audit.purchaseAttempts == 400 && audit.purchaseFailures == 400 - ids.count)
            #expect(audit.totalPurchased == Decimal(ids.count) * 10)
            #expect(audit.totalPurchased == audit.totalCharged + audit.totalRefunded + audit.totalPending)
            let balance = try await client.balance()
            #expect(balance == 1_000_000 - audit.totalCharged - audit.totalPending)
            #expect(audit.duplicateReferences.count <= 50)
            sim.simulator.advance(by: .seconds(1200))
            let settled = sim.simulator.audit()
            #expect(settled.openActivations == 0 && settled.totalPending == 0)
            #expect(settled.totalPurchased == settled.totalCharged + settled.totalRefunded)
        }
    }
}
