import Activation
import Escalation
import Foundation
import HTTPTypes
import HummingbirdTesting
import Pool
import Testing

@testable import Console

@Suite("Console pages: rendering, escaping, masking")
struct ConsolePagesTests {
    @Test func overviewShowsEverySectionUnderAStrictPolicy() async throws {
        let backend = MemoryBackend(
            listings: [ConsoleFixtures.listing("a", state: .completed), ConsoleFixtures.listing("b", state: .waitingCode)],
            escalations: [ConsoleFixtures.escalation()])
        try await ConsoleFixtures.withConsole(backend) { client in
            try await client.execute(uri: "/console", method: .get) { response in
                #expect(response.status == .ok)
                let policy = try #require(response.headers[HTTPField.Name("Content-Security-Policy")!])
                #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                let page = response.text
                for id in ["outcomes", "states", "escalation-queues", "dead-letters", "suppliers", "lag"] {
                    #expect(page.contains("id=\"\(id)\""), "section \(id)")
                }
                #expect(page.contains("invalid_json</th><td class=\"num\">4"), "dead letters by reason")
                #expect(page.contains("<th>sim</th><td class=\"num\">10</td><td class=\"num\">2</td><td>no_inventory 2</td>"), "supplier health")
                #expect(page.contains("≤ 100 ms"), "the p99 bucket")
                #expect(page.contains("3 (1.5 s)"), "rate-limit waits")
                #expect(page.contains("no partitions assigned"))
            }
            try await client.execute(uri: "/console/overview/live", method: .get) { response in
                #expect(response.status == .ok)
                #expect(!response.text.contains("<html"), "the live part is a fragment")
                #expect(response.text.contains("id=\"outcomes\""))
            }
        }
    }

    @Test func activationPageEscapesAndMasks() async throws {
        let backend = MemoryBackend(records: [ConsoleFixtures.record()])
        try await ConsoleFixtures.withConsole(backend) { client in
            try await client.execute(uri: "/console/activation?id=req-1", method: .get) { response in
                #expect(response.status == .ok)
                let page = response.text
                #expect(!page.contains(ConsoleFixtures.hostileAccount), "markup from data is escaped")
                #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(!page.contains(ConsoleFixtures.code), "the full code never shows")
                #expect(page.contains("STATUS_OK:83****"))
                #expect(!page.contains(ConsoleFixtures.apiKey), "an API key never shows")
                #expect(page.contains("api_key=***"))
                for id in ["money", "attempts", "cancellations", "decisions", "errors", "timeline", "events"] {
                    #expect(page.contains("id=\"\(id)\""), "section \(id)")
                }
                #expect(page.contains("0.20 USD"), "the debit")
                #expect(page.contains("<code>req-1#3</code> completed"), "the event waiting for the broker")
            }
            try await client.execute(uri: "/console/activation?id=nope", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func searchPassesEveryFilterAndRefusesBadOnes() async throws {
        let backend = MemoryBackend(listings: [
            ConsoleFixtures.listing("a", state: .completed), ConsoleFixtures.listing("b", state: .expired, account: "acct-2"),
        ])
        try await ConsoleFixtures.withConsole(backend) { client in
            try await client.execute(
                uri: "/console/activations?account=acct-2&state=expired&phone=%2B15550001&key=k+1&from=2026-12-05T02%3A47&to=",
                method: .get
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("/console/activation?id=b"))
                #expect(!response.text.contains("/console/activation?id=a\""))
            }
            let search = try #require(backend.lastSearch.withLock { $0 })
            #expect(search.accountID == "acct-2" && search.state == .expired && search.phone == "+15550001")
            #expect(search.idempotencyKey == "k 1" && search.to == nil)
            #expect(search.from == Format.parseTime("2026-12-05T02:47"))
            try await client.execute(uri: "/console/activations?state=nonsense", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("state &quot;nonsense&quot; is unknown"))
            }
        }
    }

    @Test func escalationsListPageAndMarkdownExport() async throws {
        let backend = MemoryBackend(escalations: [ConsoleFixtures.escalation("req-2"), ConsoleFixtures.escalation("req-3", status: .resolved)])
        try await ConsoleFixtures.withConsole(backend) { client in
            try await client.execute(uri: "/console/escalations?status=open", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("/console/escalation?id=req-2"))
                #expect(!response.text.contains("/console/escalation?id=req-3"))
                #expect(response.text.contains("id=\"queues\""))
            }
            try await client.execute(uri: "/console/escalation?id=req-2", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("no code within the window"))
                #expect(!response.text.contains(ConsoleFixtures.code))
            }
            try await client.execute(uri: "/console/escalation/export.md?id=req-2", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/markdown; charset=utf-8")
                #expect(response.text.hasPrefix("# Escalation req-2"))
            }
        }
    }

    @Test func htmlEscapesInterpolatedText() {
        let text = "<a href=\"x\" onclick='y'>&</a>"
        let html: HTML = "<td>\(text)</td>"
        #expect(html.rendered == "<td>&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;</td>")
        let nested: HTML = "<tr>\(html)</tr>"
        #expect(nested.rendered == "<tr>" + html.rendered + "</tr>", "HTML nests as markup")
    }

    @Test func maskingCoversCodesAndKeys() {
        #expect(Masking.supplierText("STATUS_OK:834512") == "STATUS_OK:83****")
        #expect(Masking.supplierText(#"{"sms":[{"code":"4471","text":"Your code is 4471"}]}"#) == #"{"sms":[{"code":"44**","text":"…"}]}"#)
        #expect(Masking.supplierText("GET /stubs/handler_api.php?api_key=abc123&action=getStatus") == "GET /stubs/handler_api.php?api_key=***&action=getStatus")
        #expect(Masking.supplierText("Authorization: Bearer eyJhbGciOi") == "Authorization: Bearer ***")
        #expect(Masking.supplierText("ACCESS_NUMBER:9001:15550001") == "ACCESS_NUMBER:9001:15550001", "numbers stay")
        #expect(Masking.code("83****") == "83****")
    }

    @Test func formFieldsDecodeLikeABrowser() {
        let fields = FormFields("note=refunded+by+hand%2C+50%25&empty=&id=a%3Ab&id=second")
        #expect(fields["note"] == "refunded by hand, 50%")
        #expect(fields["empty"] == nil)
        #expect(fields["id"] == "a:b", "the first value wins")
    }

    @Test func prometheusTextParses() {
        let samples = PrometheusSample.parse(#"a_total{x="1",y="q\"uote"} 3"# + "\n# HELP\nb 2.5\n")
        #expect(samples.count == 2)
        #expect(samples[0].labels == ["x": "1", "y": "q\"uote"] && samples[0].value == 3)
        #expect(samples[1].name == "b" && samples[1].value == 2.5)
    }
}
