/// Rows of text in aligned columns, for terminals and logs.
///
/// Cells may carry ANSI colour (``Style``); widths count only the visible characters, so colour never
/// breaks the alignment.
public struct TextTable: Sendable {
    /// The column titles.
    public var header: [String]
    /// The rows (each as many cells as the header).
    public var rows: [[Cell]] = []

    /// A cell: its text and how to colour it.
    public struct Cell: Sendable, ExpressibleByStringLiteral {
        public var text: String
        public var style: Style?

        public init(_ text: String, style: Style? = nil) {
            self.text = text
            self.style = style
        }

        public init(stringLiteral value: String) { self.init(value) }
    }

    /// The colours used.
    public enum Style: String, Sendable {
        case red = "31", green = "32", yellow = "33", blue = "34", dim = "2", bold = "1"

        /// `text` in this style when `colour`, else as it is.
        public func apply(_ text: String, colour: Bool) -> String {
            colour ? "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" : text
        }
    }

    public init(header: [String]) {
        self.header = header
    }

    /// Adds a row.
    public mutating func append(_ row: [Cell]) {
        rows.append(row)
    }

    /// The table, columns separated by two spaces; with `colour`, the header bold and cells styled.
    public func render(colour: Bool) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.text.count)
            }
        }
        func line(_ cells: [Cell], bold: Bool) -> String {
            cells.enumerated().map { index, cell in
                let padding = index == cells.count - 1 ? "" : String(repeating: " ", count: widths[index] - cell.text.count)
                let style = bold ? Style.bold : cell.style
                return (style?.apply(cell.text, colour: colour) ?? cell.text) + padding
            }.joined(separator: "  ")
        }
        return ([line(header.map { Cell($0) }, bold: true)] + rows.map { line($0, bold: false) }).joined(separator: "\n")
    }
}
