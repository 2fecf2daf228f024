import CKernels
import Foundation
import Synchronization

// How this works and why.
//
// A batch-split training step hands one slice to each of `count` threads and waits for all of
// them, a thousand times an epoch. With `DispatchQueue.concurrentPerform` the second thread
// parks between steps and the next step wakes it: on the 2-vCPU virtual machine this was
// measured on (AMD EPYC Zen 4), worker 1 started 27–40 µs after the call, a twelfth of
// seed001-poly's step at batch 256. These threads instead spin on an atomic job counter for a
// while after each job (`spinDuration`, longer than the optimizer update and bookkeeping
// between two steps), yielding the CPU on every turn, and park on a condition variable only
// after that, as OpenBLAS's threads do. The caller runs share 0 itself.
//
// Protocol: the caller stores the job, then increments `generation` (release); a worker that
// sees a new generation (acquire) runs its share and decrements `pending` (release); the caller
// waits for `pending` to reach 0 (acquire), so every share happens before `run` returns. A
// worker parks only after re-checking `generation` under the mutex that the caller takes to
// broadcast, so no wake-up is lost.

/// Threads that run the shares of one job at a time together with the caller.
final class WorkerThreads: Sendable {
    /// The number of shares a job has: the caller's and one per thread.
    let count: Int
    private let state: SharedState

    /// `count − 1` threads (none when `count` is 1).
    init(count: Int) {
        precondition(count >= 1, "Worker threads need a count of at least 1, got \(count)")
        self.count = count
        state = SharedState()
        for index in 1 ..< count {
            let state = state
            let thread = Thread { state.serve(share: index) }
            thread.name = "polynet-worker-\(index)"
            thread.start()
        }
    }

    deinit { state.stop() }

    /// Runs `body(share)` for shares 0 ..< `count` concurrently (share 0 on the calling thread)
    /// and returns when all have finished.
    func run(_ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else { return body(0) }
        state.start(body, shares: count - 1)
        body(0)
        state.wait()
    }

    /// The first index and the end of share `share` of `count` items among `shares`:
    /// contiguous slices in share order whose sizes differ by at most one.
    static func slice(_ share: Int, of count: Int, among shares: Int) -> Range<Int> {
        share * count / shares ..< (share + 1) * count / shares
    }

    /// The fewest elements per share for which ``runSlices(of:_:)`` splits an elementwise pass.
    static let minimumElementsPerShare = 4096

    /// Runs `body` over the elements 0 ..< `count`: cut into one ``slice(_:of:among:)`` per share
    /// (slice i always by share i, so a thread keeps touching the same elements from job to job)
    /// when each share gets at least ``minimumElementsPerShare``, otherwise whole on the caller.
    func runSlices(of count: Int, _ body: @escaping @Sendable (Range<Int>) -> Void) {
        let shares = self.count
        guard shares > 1, count >= shares * Self.minimumElementsPerShare else { return body(0 ..< count) }
        run { share in body(Self.slice(share, of: count, among: shares)) }
    }
}

/// What the caller and the threads share; see the protocol above.
private final class SharedState: @unchecked Sendable {
    /// How long a thread spins for the next job before it parks.
    static let spinDuration = Duration.microseconds(500)

    /// Incremented once per job.
    let generation = Atomic<Int>(0)
    /// Shares of the current job not yet finished by the threads.
    let pending = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    /// Set before `generation` is incremented and read only after it is seen (unchecked
    /// `Sendable`: the atomics order these accesses).
    private var job: (@Sendable (Int) -> Void)?
    private let condition = NSCondition()

    func start(_ body: @escaping @Sendable (Int) -> Void, shares: Int) {
        job = body
        pending.store(shares, ordering: .relaxed)
        condition.lock()
        generation.add(1, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }

    func wait() {
        // The caller waits only for the last share to finish, a few microseconds.
        while pending.load(ordering: .acquiring) > 0 { polynet_spin_pause() }
        job = nil
    }

    func stop() {
        condition.lock()
        stopping.store(true, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }

    /// A thread's loop: wait for each new generation, run its share, report it done.
    func serve(share: Int) {
        var seen = 0
        let clock = ContinuousClock()
        while true {
            var deadline = clock.now + Self.spinDuration
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                if stopping.load(ordering: .acquiring) { return }
                // Yield rather than only pause: should the scheduler put this thread on the
                // caller's CPU, the caller runs instead of waiting out a time slice.
                sched_yield()
                spins += 1
                guard spins % 256 == 0, clock.now > deadline else { continue }
                condition.lock()
                while generation.load(ordering: .acquiring) == seen && !stopping.load(ordering: .acquiring) { condition.wait() }
                condition.unlock()
                deadline = clock.now + Self.spinDuration
            }
            seen = generation.load(ordering: .acquiring)
            if let job { job(share) }
            pending.subtract(1, ordering: .releasing)
        }
    }
}
