/// Why an analysis cannot run on the model it was given.
public enum InterpretabilityError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The analysis reads the block's outputs as class scores, but the block is block `block`
    /// of `blockCount` (not the last, whose outputs are the class scores).
    case notOutputBlock(analysis: String, block: Int, blockCount: Int)
    /// The target class is not one of the model's `classCount` classes.
    case targetOutOfRange(target: Int, classCount: Int)

    public var description: String {
        switch self {
        case let .notOutputBlock(analysis, block, count):
            return "\(analysis) reads the block's outputs as class scores, and block \(block) of \(count) is not the last"
        case let .targetOutOfRange(target, classCount):
            return "target class \(target) is not a class of the model (0...\(classCount - 1))"
        }
    }
}
