/// Values of a function of two variables at the nodes of a regular grid over a box: the
/// input of marching squares.
struct ScalarGrid: Sendable {
  /// Nodes along x and along y (at least 2 each).
  let columns: Int
  let rows: Int
  /// The box's corners: node (0, 0) sits at `lower`, node (columns − 1, rows − 1) at `upper`.
  let lower: PlotPoint
  let upper: PlotPoint
  /// Row after row (y index major), every value finite: a node where the function is not
  /// finite holds ±`substitute`, above every level (or below, for −∞), so contours go
  /// around it and no NaN reaches the drawing.
  private(set) var values: [Double]
  /// The lowest and highest finite values, or nil if there are none.
  private(set) var finiteRange: ClosedRange<Double>?
  /// Nodes where the function was not finite.
  private(set) var nonFiniteCount = 0

  /// Far above any energy, yet small enough that differences of two never overflow.
  static let substitute = 1e250

  init(columns: Int, rows: Int, lower: PlotPoint, upper: PlotPoint, values: [Double]) {
    precondition(columns >= 2 && rows >= 2 && values.count == columns * rows)
    self.columns = columns
    self.rows = rows
    self.lower = lower
    self.upper = upper
    self.values = values
    var low = Double.infinity
    var high = -Double.infinity
    for index in self.values.indices {
      let value = self.values[index]
      if value.isFinite && abs(value) < Self.substitute {
        low = min(low, value)
        high = max(high, value)
      } else {
        nonFiniteCount += 1
        self.values[index] = value == -.infinity ? -Self.substitute : Self.substitute
      }
    }
    finiteRange = low <= high ? low...high : nil
  }

  /// Samples `function` at every node.
  init(
    columns: Int, rows: Int, lower: PlotPoint, upper: PlotPoint,
    function: (Double, Double) -> Double
  ) {
    var values: [Double] = []
    values.reserveCapacity(columns * rows)
    for row in 0..<rows {
      let y = lower.y + Double(row) * (upper.y - lower.y) / Double(rows - 1)
      for column in 0..<columns {
        values.append(
          function(lower.x + Double(column) * (upper.x - lower.x) / Double(columns - 1), y))
      }
    }
    self.init(columns: columns, rows: rows, lower: lower, upper: upper, values: values)
  }

  subscript(column: Int, row: Int) -> Double { values[row * columns + column] }

  /// The point at fractional grid indices.
  func point(column: Double, row: Double) -> PlotPoint {
    PlotPoint(
      lower.x + column * (upper.x - lower.x) / Double(columns - 1),
      lower.y + row * (upper.y - lower.y) / Double(rows - 1))
  }

  /// The median of the finite values: a robust "typical" value on surfaces whose edges
  /// explode.
  var finiteMedian: Double? {
    let finite = values.filter { abs($0) < Self.substitute }.sorted()
    return finite.isEmpty ? nil : finite[finite.count / 2]
  }
}
