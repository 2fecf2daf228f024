/// One analysis of `polynet explain`: its section of the report page, its table, and the
/// figure files it draws (for the caller to write wherever it keeps them).
public struct ReportAnalysis: Sendable {
    /// A figure as a file: its name (e.g. `eigenvectors.png`) and contents.
    public struct File: Sendable {
        /// The file name.
        public var name: String
        /// The file's bytes.
        public var contents: [UInt8]

        /// A file; see the properties.
        public init(name: String, contents: [UInt8]) {
            self.name = name
            self.contents = contents
        }
    }

    /// The section of the report page (figures inlined).
    public var section: ReportPage.Section
    /// The table's column headings (also in `section`).
    public var header: [String]
    /// The table's rows (also in `section`).
    public var rows: [[String]]
    /// The figure files.
    public var files: [File]

    /// An analysis; see the properties.
    public init(section: ReportPage.Section, header: [String], rows: [[String]], files: [File]) {
        self.section = section
        self.header = header
        self.rows = rows
        self.files = files
    }
}
