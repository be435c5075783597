import Foundation
import Testing

@testable import SupplierSimulator

@Suite("Hand-written reply text")
struct JSONTextTests {
    @Test("handler_api times are Foundation's ISO 8601 text with a space, seconds cut, for any date")
    func plainTimes() {
        let dates = [
            0, 1_780_315_200, 1_780_315_200.999, 1_796_083_199.5, 951_782_400, -1, -86_400.25, 4_102_444_800,
        ].map(Date.init(timeIntervalSince1970:))
        for date in dates {
            let foundation = String(date.formatted(Date.ISO8601FormatStyle()).prefix(19)).replacingOccurrences(of: "T", with: " ")
            #expect(JSONText.plain(date) == foundation, "\(date.timeIntervalSince1970)")
        }
        #expect(JSONText.plain(Date(timeIntervalSince1970: 1_780_315_200)) == "2026-06-01 12:00:00")
    }
}

@Suite("The active list as one buffer")
struct ActiveListFormatTests {
    /// The list as it was built before it was written into one buffer, item by item from strings: the reference.
    static func itemByItem(_ list: [SimActivation], catalogue: CatalogueSnapshot, variant: Bool) -> String {
        let items = list.map { activation -> String in
            let code = activation.codes.last
            func sms(_ value: String?) -> String {
                guard let value else { return variant ? "[]" : "null" }
                return variant ? "[\(JSONText.string(value))]" : JSONText.string(value)
            }
            return JSONText.object([
                ("activationId", String(activation.id)),
                ("serviceCode", JSONText.string(catalogue.services[activation.service].code)),
                ("phoneNumber", JSONText.string(activation.phone)),
                ("activationCost", Cents.text(activation.priceCents)),
                ("activationStatus", JSONText.string(HandlerAPIFormat.activationStatus(activation))),
                ("smsCode", sms(code)),
                ("smsText", sms(code.map { "Your code is \($0)" })),
                ("activationTime", JSONText.string(JSONText.plain(catalogue.clock.date(activation.createdAt)))),
                ("canGetAnotherSms", String(activation.anotherCodeAllowed)),
                ("countryCode", JSONText.string(String(catalogue.countries[activation.country].id))),
            ])
        }
        return #"{"status":"success","activeActivations":["# + items.joined(separator: ",") + "]}"
    }

    @Test("the same text as item by item, with and without codes, in both variants", arguments: [false, true])
    func sameText(variant: Bool) async throws {
        try await withSimulator(SimulatorConfiguration(defaultOffer: OfferBehaviour(smsDelay: .fixed(0)))) { sim in
            _ = try await sim.client.buy(try sim.order())
            _ = try await sim.client.buy(try sim.order())
            let (list, catalogue) = sim.simulator.state.withLock { state in
                (state.openActivations(key: "sim-key", now: state.clock.now() + 1), state.snapshot())
            }
            #expect(list.count == 2)
            #expect(list.allSatisfy { !$0.codes.isEmpty }, "codes arrive at once")
            let written = HandlerAPIFormat.activeActivations(list, catalogue: catalogue, variant: variant)
            #expect(written == Self.itemByItem(list, catalogue: catalogue, variant: variant))
            #expect(try JSONSerialization.jsonObject(with: Data(written.utf8)) is [String: Any])
        }
    }
}
