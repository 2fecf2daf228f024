import Foundation

/// Counts, during evaluation passes, how many inputs of one polynomial left the interval it was
/// fitted on and how far: ``RangePenalty`` fills it while the trainer evaluates the test set
/// after each epoch, and ``FineTuning`` reads and resets it, so every epoch reports its
/// out-of-range share without another pass over the data.
///
/// A reference type because layers are values copied into and out of the trainer; the counts
/// are guarded by a lock.
public final class RangeTally: @unchecked Sendable {
    private let lock = NSLock()
    private var outside = 0
    private var seen = 0
    private var largest = 0.0

    /// A tally with nothing counted.
    public init() {}

    /// Adds one batch: `count` values of which `outside` were outside, the largest
    /// |x − centre|/half-width among them being `largest`.
    func add(count: Int, outside: Int, largest: Double) {
        lock.lock()
        defer { lock.unlock() }
        seen += count
        self.outside += outside
        self.largest = Swift.max(self.largest, largest)
    }

    /// The share of values outside and the largest excursion (as a multiple of the half-width)
    /// since the last call, and a reset.
    public func take() -> (outsideShare: Double, largestExcursion: Double) {
        lock.lock()
        defer { lock.unlock() }
        let result = (Double(outside) / Double(Swift.max(seen, 1)), largest)
        (outside, seen, largest) = (0, 0, 0)
        return result
    }
}
