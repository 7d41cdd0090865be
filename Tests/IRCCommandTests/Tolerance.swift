/// |a − b| ≤ max(absolute, relative·max(|a|, |b|)): the one tolerance comparison of the
/// command tests, as `isClose` is of the library's. NaN is never close to anything. Values
/// one run writes to two files are compared exactly instead: every number round-trips.
func isClose(_ a: Double, _ b: Double, relative: Double = 0, absolute: Double = 0) -> Bool {
  abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}
