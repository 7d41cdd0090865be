import Foundation

/// An order-preserving map over both cores (or however many there are).
public enum ParallelMap {
  public static func map<Input: Sendable, Output: Sendable>(
    _ inputs: [Input], _ transform: @Sendable (Input) -> Output
  ) -> [Output] {
    let results = ResultBox<Output>(count: inputs.count)
    DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
      results.set(index, transform(inputs[index]))
    }
    return results.values()
  }

  /// Slots written by distinct iterations, read once all are done.
  private final class ResultBox<Output>: @unchecked Sendable {
    private var slots: [Output?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Output) {
      lock.lock()
      slots[index] = value
      lock.unlock()
    }
    func values() -> [Output] { slots.map { $0! } }
  }
}
