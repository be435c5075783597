import Activation
import Escalation
import Foundation
import Kafka

/// The overview: outcomes per second, states now, consumer lag, supplier health, dead letters and escalation
/// queues. ``live(_:)`` is the part the page's script fetches again every few seconds.
enum OverviewPage {
    static func page(_ overview: Overview, viewer: Viewer) -> HTML {
        Layout.page(title: "Overview", section: .overview, viewer: viewer, """
            <div id="live" data-refresh="/console/overview/live" data-every="5">\(live(overview))</div>
            """)
    }

    /// The refreshed part of the page.
    static func live(_ overview: Overview) -> HTML {
        """
        <p class="muted">as of <time>\(Format.time(overview.at))</time> · refreshes every 5 s</p>
        <div class="cards">
        \(card("Outcomes, last \(Int(Overview.window.components.seconds)) s", "outcomes", outcomes(overview)))
        \(card("Activations by state now", "states", states(overview)))
        \(card("Escalation queues", "escalation-queues", escalations(overview)))
        \(card("Dead letters (this process)", "dead-letters", deadLetters(overview)))
        </div>
        \(card("Supplier health (this process, since start)", "suppliers", suppliers(overview)))
        \(card("Consumer lag (this process's partitions)", "lag", lag(overview)))
        """
    }

    private static func card(_ title: String, _ id: String, _ body: HTML) -> HTML {
        "<section class=\"card\" id=\"\(id)\"><h2>\(title)</h2>\(body)</section>"
    }

    private static func failure(_ failure: Overview.Failure) -> HTML {
        "<p class=\"error\">not available: \(failure.message)</p>"
    }

    private static func outcomes(_ overview: Overview) -> HTML {
        switch overview.outcomes {
        case .failure(let error): return failure(error)
        case .success(let counts):
            let seconds = Double(Overview.window.components.seconds)
            let rows = ActivationState.allCases.filter(\.isTerminal).map { state -> HTML in
                let count = counts[state] ?? 0
                return "<tr class=\"state-\(state.rawValue)\"><th>\(state.rawValue)</th><td class=\"num\">\(Format.rate(Double(count) / seconds))</td><td class=\"num muted\">\(count)</td></tr>"
            }
            return "<table><thead><tr><th>outcome</th><th class=\"num\">per second</th><th class=\"num\">count</th></tr></thead><tbody>\(rows)</tbody></table>"
        }
    }

    private static func states(_ overview: Overview) -> HTML {
        switch overview.states {
        case .failure(let error): return failure(error)
        case .success(let counts):
            let rows = ActivationState.allCases.map { state -> HTML in
                let count = counts[state] ?? 0
                return "<tr class=\"state-\(state.rawValue)\"><th><a href=\"/console/activations?state=\(state.rawValue)\">\(state.rawValue)</a></th><td class=\"num\">\(count)</td></tr>"
            }
            return "<table><tbody>\(rows)</tbody></table>"
        }
    }

    private static func escalations(_ overview: Overview) -> HTML {
        switch overview.escalations {
        case .failure(let error): return failure(error)
        case .success(let value):
            let rows = EscalationQueue.allCases.map { queue -> HTML in
                let byStatus = value.counts[queue] ?? [:]
                let age = value.oldest[queue].map(Format.age) ?? "–"
                return """
                    <tr><th><a href="/console/escalations?queue=\(queue.rawValue)">\(queue.rawValue)</a></th>\
                    <td class="num">\(byStatus[.open] ?? 0)</td><td class="num">\(byStatus[.inProgress] ?? 0)</td>\
                    <td class="num">\(age)</td></tr>
                    """
            }
            return "<table><thead><tr><th>queue</th><th class=\"num\">open</th><th class=\"num\">in progress</th><th class=\"num\">oldest</th></tr></thead><tbody>\(rows)</tbody></table>"
        }
    }

    private static func deadLetters(_ overview: Overview) -> HTML {
        guard !overview.deadLetters.isEmpty else { return "<p class=\"muted\">none since this process started</p>" }
        let rows = overview.deadLetters.map { "<tr><th>\($0.reason)</th><td class=\"num\">\($0.count)</td></tr>" as HTML }
        return "<table><tbody>\(rows)</tbody></table>"
    }

    private static func suppliers(_ overview: Overview) -> HTML {
        guard !overview.suppliers.isEmpty else {
            return "<p class=\"muted\">no supplier calls in this process (the escalation worker makes none; open a worker's console)</p>"
        }
        let rows = overview.suppliers.map { health -> HTML in
            let errors = health.errors.isEmpty ? "–" : health.errors.map { "\($0.kind) \($0.count)" }.joined(separator: ", ")
            let p99 = health.p99Latency.map { "≤ " + Format.milliseconds($0) } ?? "–"
            return """
                <tr><th>\(health.supplier)</th><td class="num">\(health.calls)</td><td class="num">\(health.errorCount)</td>\
                <td>\(errors)</td><td class="num">\(health.meanLatency.map(Format.milliseconds) ?? "–")</td><td class="num">\(p99)</td>\
                <td class="num">\(health.rateLimitWaits) (\(String(format: "%.1f s", health.rateLimitWaitSeconds)))</td></tr>
                """
        }
        return """
            <div class="scroll"><table><thead><tr><th>supplier</th><th class="num">calls</th><th class="num">errors</th><th>by kind</th>\
            <th class="num">mean</th><th class="num">p99</th><th class="num">rate-limit waits</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    private static func lag(_ overview: Overview) -> HTML {
        switch overview.lag {
        case .failure(let error): return failure(error)
        case .success(let partitions):
            guard !partitions.isEmpty else { return "<p class=\"muted\">no partitions assigned to this process yet</p>" }
            let rows = partitions.sorted { ($0.partition.topic, $0.partition.partition) < ($1.partition.topic, $1.partition.partition) }
                .map { lag -> HTML in
                    """
                    <tr><th>\(lag.partition.topic)</th><td class="num">\(Int(lag.partition.partition))</td>\
                    <td class="num">\(lag.committed.map(String.init) ?? "–")</td><td class="num">\(lag.highWatermark)</td>\
                    <td class="num\(lag.lag > 0 ? " warn" : "")">\(lag.lag)</td></tr>
                    """
                }
            return """
                <div class="scroll"><table><thead><tr><th>topic</th><th class="num">partition</th><th class="num">committed</th>\
                <th class="num">end</th><th class="num">lag</th></tr></thead><tbody>\(rows)</tbody></table></div>
                <p class="muted">A follow-up tier's lag includes follow-ups not due yet: it is the tier's backlog, not a fault by itself.</p>
                """
        }
    }
}
