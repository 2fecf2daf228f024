import LinearAlgebra
import Testing
import TestSupport
@testable import Training

/// Batches gathered from pixels kept as bytes against the images' own rows: equal bits, since
/// the kernel divides each byte by 255 once, as the images were made (no tolerance).
struct BatchSourceTests {
    /// `rows` × `columns` images whose pixels are random bytes over 255, every byte value among
    /// them, made in `Scalar` as `MNIST.load` makes them.
    static func byteImages<Scalar: BLASScalar>(rows: Int, columns: Int, seed: UInt64) -> Matrix<Scalar> {
        var generator = SeededGenerator(seed: seed)
        let values = (0 ..< rows * columns).map { index in
            Scalar(index < 256 ? index : Int.random(in: 0 ... 255, using: &generator)) / 255
        }
        return Matrix(rows: rows, columns: columns, elements: values)
    }

    /// Rows in shuffled order with repeats, more than the kernel's prefetch distance, and the
    /// last row, gathered twice into the same batch (the second time with fewer rows).
    static func expectSameRows<Scalar: BLASScalar>(_ source: BatchSource<Scalar>, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var batch = Matrix<Scalar>(rows: 0, columns: 0), expected = Matrix<Scalar>(rows: 0, columns: 0)
        for count in [23, 6] {
            var indices = (0 ..< count).map { _ in Int.random(in: 0 ..< source.images.rows, using: &generator) }
            indices[count / 2] = source.images.rows - 1
            source.gather(indices[...], into: &batch)
            source.images.gatherRows(at: indices, into: &expected)
            #expect(batch.rows == count && batch.columns == source.images.columns)
            // The same bits: equal values of the same sign, or NaN in both (nothing rounds a NaN).
            #expect(zip(batch.elements, expected.elements).allSatisfy { $0.isNaN ? $1.isNaN : $0 == $1 && $0.sign == $1.sign },
                    "\(count) rows")
        }
    }

    @Test func bytePixelsGatherTheImagesBits() {
        let float = BatchSource<Float>(images: Self.byteImages(rows: 41, columns: 37, seed: 1))
        #expect(float.bytes != nil)
        Self.expectSameRows(float, seed: 2)
        let double = BatchSource<Double>(images: Self.byteImages(rows: 41, columns: 37, seed: 3))
        #expect(double.bytes != nil)
        Self.expectSameRows(double, seed: 4)
    }

    /// One pixel that is not a byte over 255 (one ulp off, −0, NaN, outside [0, 1]), anywhere,
    /// and the source keeps no bytes and gathers the Float rows themselves.
    @Test(arguments: [Float(37) / 255 + Float(37) / 255 * .ulpOfOne, -0.0, .nan, 1.5, -1 / 255])
    func otherPixelsGatherTheirOwnRows(odd: Float) {
        for position in [0, 5000, 41 * 157 - 1] {
            var images: Matrix<Float> = Self.byteImages(rows: 41, columns: 157, seed: 5)
            images.elements[position] = odd
            let source = BatchSource(images: images)
            #expect(source.bytes == nil, "\(odd) at \(position)")
            Self.expectSameRows(source, seed: 6)
        }
    }
}
