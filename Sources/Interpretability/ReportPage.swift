import Foundation
import Plotting

/// A self-contained HTML page of figures and tables, readable offline: SVG is inlined and
/// PNG embedded as data URIs.
public struct ReportPage: Sendable {
    /// What a section shows.
    public enum Content: Sendable {
        /// An inline SVG figure.
        case svg(String)
        /// A PNG image, embedded as a data URI.
        case png([UInt8])
        /// A table with a header row.
        case table(header: [String], rows: [[String]])
        /// A paragraph of text.
        case text(String)
    }

    /// One titled section with a caption.
    public struct Section: Sendable {
        /// The section's title.
        public var heading: String
        /// The text under the title.
        public var caption: String
        /// The figures, tables and paragraphs, in order.
        public var contents: [Content]

        /// A section; see the properties.
        public init(heading: String, caption: String, contents: [Content]) {
            self.heading = heading
            self.caption = caption
            self.contents = contents
        }
    }

    /// The page title.
    public var title: String
    /// The sections, in order.
    public var sections: [Section] = []

    /// An empty page with this title.
    public init(title: String) { self.title = title }

    /// The page as HTML.
    public func html() -> String {
        var body = ""
        for section in sections {
            body += "<section><h2>\(section.heading.xmlEscaped)</h2>\n"
            for content in section.contents {
                switch content {
                case let .svg(svg): body += "<figure>\(svg)</figure>\n"
                case let .png(bytes):
                    body += "<figure><img alt=\"\(section.heading.xmlEscaped)\" src=\"data:image/png;base64,\(Data(bytes).base64EncodedString())\"></figure>\n"
                case let .table(header, rows):
                    body += "<table><thead><tr>" + header.map { "<th>\($0.xmlEscaped)</th>" }.joined() + "</tr></thead><tbody>\n"
                    for row in rows { body += "<tr>" + row.map { "<td>\($0.xmlEscaped)</td>" }.joined() + "</tr>\n" }
                    body += "</tbody></table>\n"
                case let .text(text): body += "<p>\(text.xmlEscaped)</p>\n"
                }
            }
            body += "<p class=\"caption\">\(section.caption.xmlEscaped)</p></section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(title.xmlEscaped)</title>
        <style>
        body { font-family: Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
        h1 { font-size: 1.6em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 2em; }
        figure { margin: 1em 0; } figure svg, figure img { max-width: 100%; height: auto; }
        table { border-collapse: collapse; font-size: .9em; } td, th { border: 1px solid #ccc; padding: .25em .6em; text-align: right; }
        .caption { color: #555; font-size: .92em; }
        </style></head><body><h1>\(title.xmlEscaped)</h1>
        \(body)</body></html>

        """
    }
}
