/// Path data (`d`) in compact relative form: an absolute move, then relative lines whose
/// offsets are differences of positions rounded to 0.1 px, so the rounding never
/// accumulates along a path of thousands of vertices. A point that is not finite (or
/// absurdly far off the page) is dropped and breaks the line there: the next point starts
/// a new subpath.
struct SVGPath {
  private(set) var bytes: [UInt8] = []
  /// The last position written, in tenths of a pixel; nil when the next point must move.
  private var current: (x: Int, y: Int)?
  /// The start of the current subpath, in tenths.
  private var subpathStart: (x: Int, y: Int)?
  /// Whether the last command written was a relative line, so that further pairs continue it.
  private var inLineRun = false

  var isEmpty: Bool { bytes.isEmpty }

  /// Starts a new subpath at `point` (pixels).
  mutating func move(to point: PlotPoint) {
    guard let tenths = Self.tenths(point) else {
      current = nil
      return
    }
    bytes.append(UInt8(ascii: "M"))
    SVGWriter.appendScaled(tenths.x, decimals: 1, to: &bytes)
    appendSigned(tenths.y, separated: true)
    current = tenths
    subpathStart = tenths
    inLineRun = false
  }

  /// A straight line from the current point to `point`; a move if there is none.
  mutating func line(to point: PlotPoint) {
    guard let from = current else {
      move(to: point)
      return
    }
    guard let tenths = Self.tenths(point) else {
      current = nil
      return
    }
    let dx = tenths.x - from.x
    let dy = tenths.y - from.y
    guard dx != 0 || dy != 0 else { return }
    if !inLineRun {
      bytes.append(UInt8(ascii: "l"))
      appendSigned(dx, separated: false)
      inLineRun = true
    } else {
      appendSigned(dx, separated: true)
    }
    appendSigned(dy, separated: true)
    current = tenths
  }

  /// A polyline through `points`, starting a new subpath.
  mutating func polyline(_ points: [PlotPoint], closed: Bool = false) {
    guard let first = points.first else { return }
    move(to: first)
    for point in points.dropFirst() { line(to: point) }
    if closed { close() }
  }

  /// Closes the current subpath back to its start.
  mutating func close() {
    guard current != nil else { return }
    bytes.append(UInt8(ascii: "z"))
    current = subpathStart
    inLineRun = false
  }

  /// A number in tenths; a space separates it from the previous number unless its minus
  /// sign does.
  private mutating func appendSigned(_ tenths: Int, separated: Bool) {
    if separated && tenths >= 0 { bytes.append(UInt8(ascii: " ")) }
    SVGWriter.appendScaled(tenths, decimals: 1, leadingZero: false, to: &bytes)
  }

  private static func tenths(_ point: PlotPoint) -> (x: Int, y: Int)? {
    guard SVGWriter.isWritable(point.x), SVGWriter.isWritable(point.y) else { return nil }
    return (Int((point.x * 10).rounded()), Int((point.y * 10).rounded()))
  }
}
