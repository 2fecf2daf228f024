// An add/multiply-only value, so that an evaluation written with it provably uses nothing else.
//
// A `SlotVector` is what a CKKS ciphertext is to its user: a vector of slots (here, one per
// example, CryptoNets-style batching) on which the only operations are addition and
// subtraction, multiplication by another such value, and multiplication or addition of
// plaintext constants. Its slots are private to this file: code elsewhere cannot compare,
// branch on, divide, or apply exp/sqrt/max to them, because the type offers no way to. Only
// `decrypted()` reads them, at the end.
//
// Each value carries its level (multiplicative depth consumed), counted as a CKKS evaluator
// would with rescaling after every product: a product of two values, or of a value and a
// non-integer plaintext constant, is one level above the higher operand; additions take the
// higher level. Multiplying by an integer (such as the 2 in 2·T_a·T_b) is repeated addition in
// CKKS and costs no level. A shared counter records the products of two values.

/// Counts the products of two `SlotVector`s (the expensive, relinearized products of CKKS).
public final class OperationCounter {
    /// Products of two values, squarings included.
    public private(set) var nonScalarMultiplications = 0
    /// Products with a plaintext constant that consume a level.
    public private(set) var scalarMultiplications = 0

    /// A counter at zero.
    public init() {}

    fileprivate func countNonScalar() { nonScalarMultiplications += 1 }
    fileprivate func countScalar() { scalarMultiplications += 1 }
}

/// A vector of slots supporting only +, − and × (see the file header).
public struct SlotVector {
    private var slots: [Double]
    /// The multiplicative depth this value has consumed.
    public private(set) var level: Int
    private let counter: OperationCounter

    /// "Encrypts" `values` at level 0.
    public init(encrypting values: [Double], counter: OperationCounter) {
        slots = values
        level = 0
        self.counter = counter
    }

    /// The slots, read once the evaluation is over.
    public func decrypted() -> [Double] { slots }

    /// Slot-wise sum (depth: the larger of the two).
    public static func + (a: SlotVector, b: SlotVector) -> SlotVector {
        var result = a
        for i in result.slots.indices { result.slots[i] += b.slots[i] }
        result.level = Swift.max(a.level, b.level)
        return result
    }

    /// Slot-wise difference (depth: the larger of the two).
    public static func - (a: SlotVector, b: SlotVector) -> SlotVector {
        var result = a
        for i in result.slots.indices { result.slots[i] -= b.slots[i] }
        result.level = Swift.max(a.level, b.level)
        return result
    }

    /// Slot-wise product of two values: one more level, counted as a non-scalar multiplication.
    public static func * (a: SlotVector, b: SlotVector) -> SlotVector {
        a.counter.countNonScalar()
        var result = a
        for i in result.slots.indices { result.slots[i] *= b.slots[i] }
        result.level = Swift.max(a.level, b.level) + 1
        return result
    }

    /// A plaintext constant times the value: one level unless the constant is an integer.
    public static func * (constant: Double, a: SlotVector) -> SlotVector {
        var result = a
        for i in result.slots.indices { result.slots[i] *= constant }
        if constant != constant.rounded() {
            a.counter.countScalar()
            result.level += 1
        }
        return result
    }

    /// A plaintext constant times the value, rescaled whatever the constant (as a product
    /// with an encoded plaintext vector is): one level.
    public func scaled(by constant: Double) -> SlotVector {
        counter.countScalar()
        var result = self
        for i in result.slots.indices { result.slots[i] *= constant }
        result.level += 1
        return result
    }

    /// The value plus a plaintext constant (no level).
    public static func + (a: SlotVector, constant: Double) -> SlotVector {
        var result = a
        for i in result.slots.indices { result.slots[i] += constant }
        return result
    }

    /// Σ wᵢ·valuesᵢ + bias for plaintext weights: one level (the products are rescaled once,
    /// together, as a CKKS linear transform with plaintext weights is).
    public static func linearCombination(_ values: [SlotVector], weights: [Double], bias: Double) -> SlotVector {
        var result = values[0]
        for i in result.slots.indices { result.slots[i] = bias }
        var level = 0
        for (value, weight) in zip(values, weights) where weight != 0 {
            for i in result.slots.indices { result.slots[i] += weight * value.slots[i] }
            level = Swift.max(level, value.level)
        }
        result.level = level + 1
        return result
    }
}
