/// The dead-letter page, until the dead-letter record exists.
///
/// Listing, inspecting and replaying dead letters needs the record and API of the dead-letter work (migration 9,
/// branch `dlq`), which this build does not have; the page says so, and what to use meanwhile, instead of
/// showing an empty list that would read as "no dead letters".
enum DeadLettersPage {
    static let unavailable =
        "Dead letters cannot be listed, inspected or replayed from the console in this build: the dead-letter "
        + "record and its API (migration 9) are not part of it yet."

    static func page(viewer: Viewer) -> HTML {
        Layout.page(title: "Dead letters", section: .deadLetters, viewer: viewer, """
            <p class="notice error" id="dlq-unavailable">\(unavailable)</p>
            <p>Meanwhile: the overview counts what this process dead-lettered, by reason (<code>otppool_dlq_total</code>); \
            the records themselves are on the <code>&lt;prefix&gt;.requests.dlq</code> topic with their \
            <code>dlq-reason-code</code> and <code>dlq-reason</code> headers.</p>
            """)
    }
}
