/// Errors the command line itself raises, worded for its user.
enum CommandError: Error, CustomStringConvertible {
    /// Reading or converting one file of several failed; `reason` is the underlying message.
    case inFile(path: String, reason: String)

    var description: String {
        switch self {
        case let .inFile(path, reason):
            return "\(path): \(reason)"
        }
    }
}
