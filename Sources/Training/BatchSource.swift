import CKernels
import LinearAlgebra
import NeuralNetworks

/// The images a training step gathers its batches from, one image per row.
///
/// When every pixel is exactly k/255 for a byte k (MNIST and Fashion-MNIST as loaded), the
/// source also keeps those bytes and gathers from them, decoding each byte k as k/255 while it
/// copies (the C kernel `polynet_gather_scaled_bytes`): the same bits as the images' own rows,
/// from a quarter of the memory. A batch's rows lie anywhere in the training set (188 MB of
/// Float pixels for MNIST), so copying them is bound by memory, and the kernel also fetches the
/// row four ahead while it decodes one. Measured on an AMD EPYC (Zen 4), one thread, `polynet
/// train --batch-size B --epochs 3` (fastest epoch, medians of 3 runs alternating with the
/// previous build): seed001-linear at batch 1024 went from 700k to 826k samples/s, the ReLU MLP
/// 784→128→128→10 at batch 128 from 151k to 158k. Other images (standardized pixels, say) are
/// gathered from their Float rows.
struct BatchSource<Scalar: BLASScalar>: Sendable {
    /// The images themselves.
    let images: Matrix<Scalar>
    /// The pixels as bytes k with images = k/255 exactly, or nil when some pixel is not.
    let bytes: [UInt8]?

    /// Checks whether every pixel of `images` is a byte over 255 and keeps the bytes if so: one
    /// pass over the images, after the first 4096 pixels alone were found to be bytes (other
    /// data is refused before the byte copy is allocated).
    init(images: Matrix<Scalar>) {
        self.images = images
        let probe = Swift.min(images.elements.count, 4096)
        guard Self.scaledBytes(of: images, count: probe) != nil else {
            bytes = nil
            return
        }
        bytes = Self.scaledBytes(of: images, count: images.elements.count)
    }

    /// The first `count` pixels of `images` as bytes, or nil when one of them is not a byte over 255.
    private static func scaledBytes(of images: Matrix<Scalar>, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let exact = images.elements.withUnsafeBufferPointer { values in
            bytes.withUnsafeMutableBufferPointer { target -> Bool in
                guard let source = values.baseAddress, let target = target.baseAddress else { return true }
                return Scalar.self == Float.self
                    ? polynet_scaled_bytes_f(kernelPointer(source), count, target) != 0
                    : polynet_scaled_bytes_d(kernelPointer(source), count, target) != 0
            }
        }
        return exact ? bytes : nil
    }

    /// Copies the rows at `indices`, in order, into `batch` (resized when its shape differs).
    func gather(_ indices: ArraySlice<Int>, into batch: inout Matrix<Scalar>) {
        guard let bytes else { return images.gatherRows(at: indices, into: &batch) }
        let width = images.columns
        if batch.rows != indices.count || batch.columns != width {
            batch = Matrix(rows: indices.count, columns: width)
        }
        for index in indices {
            precondition(index >= 0 && index < images.rows, "Row \(index) outside a \(images.rows)×\(width) matrix")
        }
        bytes.withUnsafeBufferPointer { source in
            indices.withUnsafeBufferPointer { rows in
                batch.withUnsafeMutableElements { target in
                    guard let source = source.baseAddress, let rows = rows.baseAddress, let target = target.baseAddress else { return }
                    if Scalar.self == Float.self {
                        polynet_gather_scaled_bytes_f(source, width, rows, indices.count, kernelPointer(target))
                    } else {
                        polynet_gather_scaled_bytes_d(source, width, rows, indices.count, kernelPointer(target))
                    }
                }
            }
        }
    }
}
