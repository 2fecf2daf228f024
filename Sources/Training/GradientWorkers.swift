import LinearAlgebra
import NeuralNetworks

// How this works and why.
//
// Every layer treats each row of a batch on its own (the `Layer` contract: no batch statistics),
// and a parameter gradient is a sum over rows. So a batch can be cut into contiguous slices, one
// per worker thread, each running the forward and backward passes on its slice with
// single-threaded BLAS; when each slice's loss is its share of the batch mean
// (`Loss.evaluate(_:labels:gradient:batchRows:)`), the batch's gradient is the sum of the
// slices' gradients, and each row's loss gradient is bit for bit what the whole batch gives it.
// A slice longer than `GradientWorkers.defaultChunkRows` runs the same way as consecutive
// chunks of nearly equal size, their gradients adding up in the worker's buffers. Only the order
// of the sums over rows changes (one sum per chunk, the chunks added in order, then the slices
// added in worker order), which is deterministic for a given batch size and worker count.
//
// Worker 0 runs on the caller's model itself (swapped in and out, nothing copied) and its
// gradient buffers receive the sum. Workers 1… run on replicas made once from the model: before
// the passes each replica's parameters are set to the model's (a reference-counted copy of the
// storage, no data copied; the passes only read parameters), and after the reduction the
// replicas drop them, so the optimizer then updates uniquely referenced storage in place.
// Each replica keeps its own activations, gradients and workspaces from step to step.

/// Forward and backward passes of one batch with its rows split across worker threads, the
/// parameter gradients summed into the model's own gradient buffers.
struct GradientWorkers<Scalar: BLASScalar> {
    private var workers: [Worker<Scalar>]
    /// The threads that run workers 1… (see `WorkerThreads`), also lent to the optimizer.
    let threads: WorkerThreads
    /// Parameter or gradient matrices of one model, collected to pair them with another model's
    /// (kept to reuse its capacity).
    private var collected: [Matrix<Scalar>] = []

    /// `count` workers (at least 1) for `model`'s layers, each running at most `chunkRows` rows
    /// per pass. The caller sets OpenBLAS to one thread when `count > 1` (see `StepParallelism`).
    init(model: Sequential<Scalar>, count: Int, chunkRows: Int = Self.defaultChunkRows) {
        precondition(count >= 1, "A step needs at least one worker, got \(count)")
        precondition(chunkRows >= 1, "A pass needs at least one row, got \(chunkRows)")
        workers = (0 ..< count).map { _ in Worker(model: model, chunkRows: chunkRows) }
        threads = WorkerThreads(count: count)
    }

    /// The most rows one worker's forward and backward pass takes, unless `init` is given
    /// another: a longer slice runs as consecutive chunks whose gradients add up in the buffers
    /// (a sum over rows, like the slices).
    ///
    /// Why: at batch 1024 the gathered input alone is 3.2 MB for 784 pixels, more than a 1 MB L2
    /// cache, and the backward pass reads it and the activations again. Chunk sweep,
    /// `polynet bench train --threads 1 --epochs 2`, medians of 3 (AMD EPYC Zen-4 class, idle),
    /// samples/s at batch 1024 without chunks / with chunks of 512, 256, 128, 64 rows:
    /// seed001-poly 242k / 258k, 267k, 260k, 245k; seed001-linear 605k / 640k, 644k, 634k, 604k;
    /// the Hermite MLP 172k / 178k, 177k, 175k, 167k; the ReLU MLP 158k / 168k, 169k, 165k,
    /// 157k. At batch 512 the differences stayed within the runs' spread (±5%). Chunks whose
    /// sizes differ by one row (a slice not divisible by the chunk count) make the layers resize
    /// their buffers from chunk to chunk; power-of-two batches do not.
    static var defaultChunkRows: Int { 256 }

    /// The number of worker threads.
    var count: Int { workers.count }

    /// Runs the forward pass, the loss and the backward pass (without the first layer's input
    /// gradient) of `model` on the rows of `source` at `indices`, labeled by `labels[index]`, and
    /// leaves ∂(batch-mean loss)/∂parameter in `model`'s gradient buffers (replacing what they
    /// held). Returns the batch's mean loss and its count of correct rows.
    ///
    /// With fewer rows than workers, only as many workers as rows take part.
    mutating func computeGradients(of model: inout Sequential<Scalar>, rows indices: [Int], of source: BatchSource<Scalar>,
                                   labels: [Int], loss: Loss) -> Loss.Evaluation {
        let batchRows = indices.count
        let active = Swift.min(workers.count, batchRows)
        precondition(active >= 1, "A training step needs at least one row")
        swap(&model, &workers[0].model)
        defer { swap(&model, &workers[0].model) }
        shareParameters(withReplicas: active)
        if active == 1 {
            workers[0].run(rows: indices[...], of: source, labels: labels, loss: loss, batchRows: batchRows)
        } else {
            workers.withUnsafeMutableBufferPointer { buffer in
                let slots = DisjointSlots(buffer)
                threads.run { worker in
                    guard worker < active else { return }
                    let range = WorkerThreads.slice(worker, of: batchRows, among: active)
                    slots.update(worker) {
                        $0.run(rows: indices[range], of: source, labels: labels, loss: loss, batchRows: batchRows)
                    }
                }
            }
        }
        reduceGradients(fromReplicas: active)
        return workers[..<active].dropFirst().reduce(workers[0].evaluation) {
            Loss.Evaluation(loss: $0.loss + $1.evaluation.loss, correct: $0.correct + $1.evaluation.correct)
        }
    }

    /// Sets the parameters of replicas 1 ..< `active` to worker 0's (shared storage).
    private mutating func shareParameters(withReplicas active: Int) {
        guard active > 1 else { return }
        var parameters = collected
        parameters.removeAll(keepingCapacity: true)
        workers[0].model.visitParameters { parameter, _ in parameters.append(parameter) }
        for worker in 1 ..< active {
            var index = 0
            workers[worker].model.visitParameters { parameter, _ in
                parameter = parameters[index]
                index += 1
            }
        }
        parameters.removeAll(keepingCapacity: true)
        collected = parameters
    }

    /// Adds the gradients of replicas 1 ..< `active`, in worker order, into worker 0's, and
    /// drops the replicas' references to the parameters.
    ///
    /// Each sum is split across the threads by the slices the optimizer's update uses
    /// (`WorkerThreads.runSlices`), so each thread then updates the elements it has just summed;
    /// elementwise, so the bits do not depend on the split. Against the sum on the calling
    /// thread: seed001-poly, two threads, batch 256, 451k → 465k samples/s (medians of 9
    /// alternating runs, AMD EPYC Zen 4; 7 of the 9 pairs faster).
    private mutating func reduceGradients(fromReplicas active: Int) {
        guard active > 1 else { return }
        var gradients = collected
        for worker in 1 ..< active {
            gradients.removeAll(keepingCapacity: true)
            workers[worker].model.visitParameters { parameter, gradient in
                parameter = Matrix(rows: 0, columns: 0)
                gradients.append(gradient)
            }
            var index = 0
            workers[0].model.visitParameters { _, gradient in
                gradient.withUnsafeMutableElements { target in
                    gradients[index].elements.withUnsafeBufferPointer { source in
                        precondition(target.count == source.count, "A replica's gradient has \(source.count) elements, not \(target.count)")
                        guard let targetBase = target.baseAddress, let sourceBase = source.baseAddress else { return }
                        let summands = Summands(target: targetBase, source: sourceBase)
                        threads.runSlices(of: source.count) { summands.add($0) }
                    }
                }
                index += 1
            }
        }
        gradients.removeAll(keepingCapacity: true)
        collected = gradients
    }
}

/// A gradient buffer and a replica's gradient added into it, a range of elements at a time.
///
/// Unchecked `Sendable` because the compiler cannot see why sharing the pointers is safe:
/// `reduceGradients` hands each share of `WorkerThreads.runSlices` a disjoint range and it
/// returns after every share has finished, within the scope where the pointers are valid.
private struct Summands<Scalar: BLASScalar>: @unchecked Sendable {
    let target: UnsafeMutablePointer<Scalar>, source: UnsafePointer<Scalar>

    func add(_ range: Range<Int>) {
        for index in range { target[index] += source[index] }
    }
}

/// One worker's model and the buffers its passes reuse.
private struct Worker<Scalar: BLASScalar> {
    var model: Sequential<Scalar>
    /// Two batch buffers used in turn: the model keeps the last batch as its cached input until
    /// the next forward pass, so gathering into that same buffer would first copy it whole
    /// (copy-on-write), a fresh allocation and a full pass over the batch every step.
    var batches = [Matrix<Scalar>(rows: 0, columns: 0), Matrix<Scalar>(rows: 0, columns: 0)]
    var next = 0
    var labels = [Int]()
    var outputGradient = Matrix<Scalar>(rows: 0, columns: 0)
    /// The loss and correct count of the last slice.
    var evaluation = Loss.Evaluation(loss: 0, correct: 0)
    /// The most rows per forward and backward pass.
    let chunkRows: Int

    init(model: Sequential<Scalar>, chunkRows: Int) {
        self.model = model
        self.chunkRows = chunkRows
    }

    /// Forward, loss (as a share of a batch of `batchRows` rows) and backward on the rows of
    /// `source` at `indices`, in nearly equal chunks of at most `chunkRows` rows; the parameter
    /// gradients replace what the buffers held.
    mutating func run(rows indices: ArraySlice<Int>, of source: BatchSource<Scalar>, labels: [Int], loss: Loss, batchRows: Int) {
        model.zeroGradients()
        evaluation = Loss.Evaluation(loss: 0, correct: 0)
        let chunks = (indices.count + chunkRows - 1) / chunkRows
        for part in 0 ..< chunks {
            let range = WorkerThreads.slice(part, of: indices.count, among: chunks)
            let chunk = indices[(indices.startIndex + range.lowerBound) ..< (indices.startIndex + range.upperBound)]
            source.gather(chunk, into: &batches[next])
            if self.labels.count != chunk.count { self.labels = [Int](repeating: 0, count: chunk.count) }
            for (slot, index) in zip(self.labels.indices, chunk) { self.labels[slot] = labels[index] }
            let share = loss.evaluate(model.forward(batches[next], training: true), labels: self.labels,
                                      gradient: &outputGradient, batchRows: batchRows)
            evaluation = Loss.Evaluation(loss: evaluation.loss + share.loss, correct: evaluation.correct + share.correct)
            next = 1 - next
            model.backward(outputGradient, needsInputGradient: false)
        }
    }
}

/// Mutable access to distinct elements of a buffer from concurrent iterations.
///
/// Unchecked `Sendable` because the compiler cannot see the discipline that makes it safe:
/// `computeGradients` hands share `i` of `WorkerThreads.run` element `i` only, so no element is
/// reached from two threads, and `run` returns only after every share has finished, so the
/// caller's later accesses happen after theirs. What the elements
/// share (the model's parameter storage) is only read during the passes; reference counts are
/// atomic, and a write to shared storage would copy it first (copy-on-write).
private struct DisjointSlots<Element>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Element>

    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }

    /// Calls `body` on element `index`; each index must be updated by one thread at a time.
    func update(_ index: Int, _ body: (inout Element) -> Void) { body(&buffer[index]) }
}
