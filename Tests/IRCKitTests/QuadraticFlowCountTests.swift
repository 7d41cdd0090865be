import Testing

@testable import IRCKit

/// The quadrature's panel counts come from products of a time and a rate, which overflow
/// for huge inputs: the count is clamped, never a trap in `Int(_:)` (issue 10, finding 1).
struct QuadraticFlowCountTests {
  @Test func countsAreCeilingsClampedToTheirRange() {
    #expect(QuadraticFlow.clampedCount(3.2, limit: 60) == 4)
    #expect(QuadraticFlow.clampedCount(0, limit: 60) == 1)
    #expect(QuadraticFlow.clampedCount(1e300, limit: 4096) == 4096)
    #expect(QuadraticFlow.clampedCount(.infinity, limit: 60) == 60)
    #expect(QuadraticFlow.clampedCount(.nan, limit: 60) == 60)
  }
}
