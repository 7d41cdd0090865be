/// Contour lines and filled contour regions of a function sampled on a regular grid.
///
/// References:
/// - W. E. Lorensen and H. E. Cline, "Marching cubes: a high resolution 3D surface
///   construction algorithm", Computer Graphics 21(4), 163–169 (1987): the cell-by-cell
///   case table, here in two dimensions (16 cases of four corners above or below the
///   level), with crossings linearly interpolated along the cell edges.
/// - G. M. Nielson and B. Hamann, "The asymptotic decider: resolving the ambiguity in
///   marching cubes", Proc. IEEE Visualization '91, 83–91 (1991): in a saddle cell (two
///   diagonal corners above, two below) the bilinear interpolant's value at its saddle
///   point, (z₀₀z₁₁ − z₁₀z₀₁)/(z₀₀ + z₁₁ − z₁₀ − z₀₁) (their eq. 3), decides whether the
///   corners above are joined through the cell. This gives the contours of the bilinear
///   interpolant exactly, topology included, where the mean of the corners can be wrong.
///
/// Every segment is oriented with the region above the level on its left (in the
/// coordinates of the box, y up), which makes two things simple: segments chain into
/// lines by their shared edges, each crossing having one segment out and one in, and a
/// filled region is closed by walking counter-clockwise along the box from where a line
/// leaves it to where the next one enters.
enum MarchingSquares {
  /// The contour lines at `level`, each oriented with values above the level on its left;
  /// a line is closed, or runs from one side of the box to another.
  static func lines(_ grid: ScalarGrid, level: Double) -> [ContourLine] {
    let chains = Chains(grid, level: level)
    return chains.open.map { ContourLine(points: chains.points($0), isClosed: false) }
      + chains.closed.map { ContourLine(points: chains.points($0), isClosed: true) }
  }

  /// The region of the box where the function is above `level`, as closed polygons to be
  /// filled with the non-zero rule: outer boundaries counter-clockwise, holes clockwise
  /// (y up).
  static func region(_ grid: ScalarGrid, above level: Double) -> [[PlotPoint]] {
    let chains = Chains(grid, level: level)
    let width = Double(grid.columns - 1)
    let height = Double(grid.rows - 1)
    let perimeter = 2 * (width + height)
    let corners: [(parameter: Double, column: Double, row: Double)] = [
      (0, 0, 0), (width, width, 0), (width + height, width, height),
      (2 * width + height, 0, height),
    ]
    var polygons = chains.closed.map(chains.points)
    let open = chains.open
    if open.isEmpty {
      if grid.values[0] > level {
        polygons.append(corners.map { grid.point(column: $0.column, row: $0.row) })
      }
      return polygons
    }
    let starts = open.map { chains.perimeterParameter($0[0]) }
    let ends = open.map { chains.perimeterParameter($0[$0.count - 1]) }
    let byStart = starts.indices.sorted { starts[$0] < starts[$1] }
    var used = Array(repeating: false, count: open.count)
    for first in open.indices where !used[first] {
      var polygon: [PlotPoint] = []
      var chain = first
      for _ in 0..<open.count {
        used[chain] = true
        polygon += chains.points(open[chain])
        let end = ends[chain]
        let next = byStart.first { starts[$0] >= end } ?? byStart[0]
        var distance = starts[next] - end
        if distance < 0 { distance += perimeter }
        let passed = corners.compactMap { corner -> (Double, PlotPoint)? in
          var along = corner.parameter - end
          if along < 0 { along += perimeter }
          guard along > 0 && along < distance else { return nil }
          return (along, grid.point(column: corner.column, row: corner.row))
        }
        polygon += passed.sorted { $0.0 < $1.0 }.map(\.1)
        chain = next
        if chain == first || used[chain] { break }
      }
      polygons.append(polygon)
    }
    return polygons
  }

  /// The segments of each of the 16 cases as (from edge, to edge), cell edges numbered
  /// counter-clockwise (0 bottom, 1 right, 2 top, 3 left) and corners likewise (bit 0
  /// bottom-left, 1 bottom-right, 2 top-right, 3 top-left). A segment runs from an edge
  /// where the counter-clockwise walk round the cell leaves the region above to one where
  /// it enters it. In the saddle cases 5 and 10 each exit pairs with the entry before it
  /// (corners above kept apart); `joinedSaddles` pairs it with the entry after it.
  static let segments: [[(Int, Int)]] = (0..<16).map { table(case: $0, joined: false) }
  static let joinedSaddles: [[(Int, Int)]] = (0..<16).map { table(case: $0, joined: true) }

  private static func table(case index: Int, joined: Bool) -> [(Int, Int)] {
    func above(_ corner: Int) -> Bool { index & (1 << (corner % 4)) != 0 }
    let exits = (0..<4).filter { above($0) && !above($0 + 1) }
    let entries = (0..<4).filter { !above($0) && above($0 + 1) }
    if exits.count == 1 { return [(exits[0], entries[0])] }
    return exits.map { ($0, joined ? ($0 + 1) % 4 : ($0 + 3) % 4) }
  }
}

/// One contour line in the box's coordinates.
struct ContourLine: Sendable, Equatable {
  var points: [PlotPoint]
  var isClosed: Bool
}

/// The segments of one level chained into lines, as lists of crossed grid edges.
///
/// Edges are numbered: the horizontal edge from node (i, j) to (i + 1, j) is
/// j·(columns − 1) + i; the vertical edge from (i, j) to (i, j + 1) follows all
/// horizontal ones, at j·columns + i.
private struct Chains {
  let grid: ScalarGrid
  let level: Double
  /// Lines that start and end on the box's sides, and closed loops.
  var open: [[Int32]] = []
  var closed: [[Int32]] = []
  private let horizontalCount: Int

  init(_ grid: ScalarGrid, level: Double) {
    self.grid = grid
    self.level = level
    let columns = grid.columns
    let rows = grid.rows
    horizontalCount = (columns - 1) * rows
    let edgeCount = horizontalCount + columns * (rows - 1)
    var next = [Int32](repeating: -1, count: edgeCount)
    var hasIncoming = [Bool](repeating: false, count: edgeCount)
    var starts: [Int32] = []
    let values = grid.values
    var above = [Bool](repeating: false, count: values.count)
    for index in values.indices { above[index] = values[index] > level }
    for row in 0..<(rows - 1) {
      for column in 0..<(columns - 1) {
        let node = row * columns + column
        var index = 0
        if above[node] { index |= 1 }
        if above[node + 1] { index |= 2 }
        if above[node + columns + 1] { index |= 4 }
        if above[node + columns] { index |= 8 }
        guard index != 0 && index != 15 else { continue }
        var table = MarchingSquares.segments[index]
        if index == 5 || index == 10 {
          let z00 = values[node]
          let z10 = values[node + 1]
          let z11 = values[node + columns + 1]
          let z01 = values[node + columns]
          // Nielson–Hamann: the bilinear interpolant's value at its saddle point.
          let saddle = (z00 * z11 - z10 * z01) / (z00 + z11 - z10 - z01)
          if saddle > level { table = MarchingSquares.joinedSaddles[index] }
        }
        let bottom = row * (columns - 1) + column
        let left = horizontalCount + row * columns + column
        let edges = [bottom, left + 1, bottom + columns - 1, left]
        for (from, to) in table {
          next[edges[from]] = Int32(edges[to])
          hasIncoming[edges[to]] = true
          starts.append(Int32(edges[from]))
        }
      }
    }
    var visited = [Bool](repeating: false, count: edgeCount)
    for start in starts where !hasIncoming[Int(start)] {
      var chain: [Int32] = [start]
      var edge = start
      visited[Int(edge)] = true
      while next[Int(edge)] >= 0 {
        edge = next[Int(edge)]
        visited[Int(edge)] = true
        chain.append(edge)
      }
      open.append(chain)
    }
    for start in starts where !visited[Int(start)] {
      var chain: [Int32] = []
      var edge = start
      repeat {
        visited[Int(edge)] = true
        chain.append(edge)
        edge = next[Int(edge)]
      } while edge != start && edge >= 0
      closed.append(chain)
    }
  }

  /// The crossing on an edge, in fractional grid indices.
  func crossing(_ edge: Int32) -> (column: Double, row: Double) {
    let edge = Int(edge)
    let columns = grid.columns
    if edge < horizontalCount {
      let row = edge / (columns - 1)
      let column = edge % (columns - 1)
      let node = row * columns + column
      return (Double(column) + fraction(grid.values[node], grid.values[node + 1]), Double(row))
    }
    let row = (edge - horizontalCount) / columns
    let column = (edge - horizontalCount) % columns
    let node = row * columns + column
    return (Double(column), Double(row) + fraction(grid.values[node], grid.values[node + columns]))
  }

  /// Where the level falls between two node values, by linear interpolation.
  private func fraction(_ from: Double, _ to: Double) -> Double {
    let t = (level - from) / (to - from)
    return t.isFinite ? min(1, max(0, t)) : 0.5
  }

  func points(_ chain: [Int32]) -> [PlotPoint] {
    chain.map { edge in
      let (column, row) = crossing(edge)
      return grid.point(column: column, row: row)
    }
  }

  /// The position of a crossing on the box's boundary, counter-clockwise from the
  /// bottom-left corner, in grid steps (bottom, right, top, left side).
  func perimeterParameter(_ edge: Int32) -> Double {
    let width = Double(grid.columns - 1)
    let height = Double(grid.rows - 1)
    let (column, row) = crossing(edge)
    if Int(edge) < horizontalCount {
      return row == 0 ? column : width + height + (width - column)
    }
    return column == 0 ? 2 * width + height + (height - row) : width + row
  }
}
