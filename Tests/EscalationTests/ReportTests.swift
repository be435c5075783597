import Activation
import Foundation
import Testing

@testable import Escalation

@Suite("Escalation reports: show, export, list")
struct ReportTests {
    func record() throws -> Escalation {
        let (machine, events) = try Scenarios.codeAfterCancel()
        let cancelled = try #require(events.last)
        let evidence = EvidenceAssembler.assemble(EvidenceSource(
            requestID: "req-1", event: cancelled, machine: machine, accountEmail: "ops@example.com"))
        return Escalation(triggers: EscalationRules.standard.triggers(for: cancelled), evidence: evidence, at: Scenarios.at(70))
            .resolved(note: "refunded | checked with the supplier", by: "dana", at: Scenarios.at(80))
    }

    @Test func showPrintsEveryPartWithoutColourOffATerminal() throws {
        let text = EscalationReport(try record(), now: Scenarios.at(130)).text(colour: false)
        #expect(!text.contains("\u{1B}["), "no escape codes when not on a terminal")
        #expect(text.hasPrefix("req-1 · refunds · RESOLVED · cancelled (cancelled_after_code) · created 1m ago, updated 50s ago"))
        #expect(text.contains("account acct-1 <ops@example.com> · key key-req-1 · service tg · countries russia · number type any · max 25.00 USD"))
        for section in ["Summary", "Why it escalated", "Attempts", "Cancellation windows", "Money",
                        "Supplier and downstream errors (verbatim)", "Retry decisions", "Timeline (from ", "Resolution"] {
            #expect(text.contains("\n\(section)"), "section \(section)")
        }
        #expect(text.contains("code-after-cancel"))
        #expect(text.contains("+79990009001"))
        #expect(text.contains("12**** at +1m02s"))
        #expect(text.contains("held 25.00 USD · debited 0.00 USD · released 25.00 USD · outstanding 0.00 USD → released_in_full"))
        #expect(text.contains("50s ago by dana: refunded | checked with the supplier"))
        #expect(!text.contains("123456"), "never the full code")
    }

    @Test func showColoursOnlyOnATerminal() throws {
        let text = EscalationReport(try record(), now: Scenarios.at(130)).text(colour: true)
        #expect(text.contains("\u{1B}[32mRESOLVED\u{1B}[0m"))
    }

    @Test func markdownIsThePackageToSendOn() throws {
        let markdown = EscalationReport(try record()).markdown()
        #expect(markdown.hasPrefix("# Escalation req-1\n"))
        #expect(markdown.contains("| Account email | ops@example.com |"))
        #expect(markdown.contains("| Idempotency key | key-req-1 |"))
        #expect(markdown.contains("## Cancellation windows"))
        #expect(markdown.contains("| 1 | alpha | 9001 | \(RFC3339.format(Scenarios.at(31))) | \(RFC3339.format(Scenarios.at(61))) |"))
        #expect(markdown.contains("`ACCESS_CANCEL`"), "supplier replies verbatim")
        #expect(markdown.contains("by dana: refunded | checked with the supplier"))
        #expect(markdown.contains("## Retry decisions\n\nNone."))
    }

    @Test func tablesAlignWhateverTheColour() {
        var table = TextTable(header: ["A", "LONGER"])
        table.append([.init("wide cell", style: .red), "x"])
        table.append(["y", "z"])
        let plain = table.render(colour: false).split(separator: "\n")
        #expect(plain == ["A          LONGER", "wide cell  x", "y          z"])
        let coloured = table.render(colour: true).replacingOccurrences(of: "\u{1B}\\[[0-9]+m", with: "", options: .regularExpression)
        #expect(coloured.split(separator: "\n") == plain)
    }

    static let ages: [(Double, String)] = [
        (0.4, "just now"), (45, "45s ago"), (61, "1m01s ago"), (720, "12m ago"), (11_100, "3h05m ago"),
        (172_800, "2d ago"), (-300, "in 5m"),
    ]

    @Test(arguments: Self.ages)
    func relativeTimes(seconds: Double, text: String) {
        #expect(RelativeTime.describe(Scenarios.at(0), now: Scenarios.at(seconds)) == text)
    }

    @Test func sinceTakesATimeOrAnAge() {
        let now = Scenarios.at(10_000)
        #expect(RelativeTime.since("30m", now: now) == Scenarios.at(10_000 - 1_800))
        #expect(RelativeTime.since("2d", now: now) == Scenarios.at(10_000 - 172_800))
        #expect(RelativeTime.since("2026-11-29T10:00:00Z", now: now) == RFC3339.parse("2026-11-29T10:00:00Z"))
        #expect(RelativeTime.since("yesterday", now: now) == nil)
        #expect(RelativeTime.since("5w", now: now) == nil)
    }
}
