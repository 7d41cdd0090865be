import Foundation
import IRCKit

/// Independent evaluations spread over every connected client.
///
/// One worker thread per connected client takes the next request from a shared counter, so
/// a fast client does more of them; each result is stored at its request's index, so the
/// answer is the same list in the same order whatever the number of clients or their speed.
/// A worker blocks in its client's socket (not on a CPU), which is why the workers are
/// threads of their own rather than a pool sized to the cores.
extension IPIServer {
  /// Evaluates every geometry (bohr) in `cell`; the replies come in request order.
  /// The first failure stops the handing out of requests; the failure of the earliest
  /// failed request is thrown once the requests in flight have ended.
  public func evaluate(batch: [[Double]], cell: IPICell) throws(IPIBatchFailure) -> [IPIReply] {
    guard !batch.isEmpty else { return [] }
    let connected: Int
    do {
      connected = try waitForClients(1)
    } catch {
      throw IPIBatchFailure(index: 0, error: error)
    }
    let workers = min(connected, batch.count)
    let state = IPIBatchState(count: batch.count)
    let work: @Sendable () -> Void = { [self] in
      while let index = state.next() {
        do throws(IPIError) {
          state.store(try evaluate(positions: batch[index], cell: cell), at: index)
        } catch {
          state.fail(error, at: index)
        }
      }
    }
    let finished = DispatchSemaphore(value: 0)
    for _ in 1..<workers {
      Thread {
        work()
        finished.signal()
      }.start()
    }
    work()
    for _ in 1..<workers { finished.wait() }
    return try state.result()
  }
}

/// The requests of one batch: the next one to hand out, the replies, the failures.
final class IPIBatchState: @unchecked Sendable {
  private let lock = NSLock()
  private var nextIndex = 0
  private var replies: [IPIReply?]
  private var failures: [Int: IPIError] = [:]

  init(count: Int) { replies = Array(repeating: nil, count: count) }

  func next() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard failures.isEmpty, nextIndex < replies.count else { return nil }
    nextIndex += 1
    return nextIndex - 1
  }

  func store(_ reply: IPIReply, at index: Int) {
    lock.lock()
    replies[index] = reply
    lock.unlock()
  }

  func fail(_ error: IPIError, at index: Int) {
    lock.lock()
    failures[index] = error
    lock.unlock()
  }

  func result() throws(IPIBatchFailure) -> [IPIReply] {
    lock.lock()
    defer { lock.unlock() }
    if let first = failures.keys.min() {
      throw IPIBatchFailure(index: first, error: failures[first]!)
    }
    return replies.map { $0! }
  }
}

/// The failure of a batch: the earliest failed request and why it failed.
public struct IPIBatchFailure: Error, Sendable, Equatable, CustomStringConvertible {
  /// The position of the failed request in the batch.
  public var index: Int
  public var error: IPIError

  public init(index: Int, error: IPIError) {
    self.index = index
    self.error = error
  }

  public var description: String { "request \(index + 1) of the batch: \(error)" }
}
