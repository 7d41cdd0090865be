import Foundation
import Testing

@testable import IRCKit

/// Marching squares against surfaces whose contours are known.
struct PlotMarchingSquaresTests {
  static func grid(
    _ nodes: Int, _ lower: Double = -1, _ upper: Double = 1, _ function: (Double, Double) -> Double
  ) -> ScalarGrid {
    ScalarGrid(
      columns: nodes, rows: nodes, lower: PlotPoint(lower, lower), upper: PlotPoint(upper, upper),
      function: function)
  }

  /// Signed area (shoelace): positive counter-clockwise.
  static func area(_ polygon: [PlotPoint]) -> Double {
    var sum = 0.0
    for index in polygon.indices {
      let next = polygon[(index + 1) % polygon.count]
      sum += polygon[index].x * next.y - next.x * polygon[index].y
    }
    return sum / 2
  }

  /// The paraboloid x² + y²: each level is one closed circle, every vertex on it to the
  /// accuracy of linear interpolation along a cell edge (h²/4 for a curvature of 2), and
  /// oriented with the higher values (outside) on its left: clockwise, area −πL.
  @Test(arguments: [0.05, 0.3, 0.8])
  func paraboloidContoursAreCircles(level: Double) throws {
    let nodes = 81
    let h = 2.0 / Double(nodes - 1)
    let grid = Self.grid(nodes) { x, y in x * x + y * y }
    let lines = MarchingSquares.lines(grid, level: level)
    #expect(lines.count == 1)
    let line = try #require(lines.first)
    #expect(line.isClosed)
    #expect(line.points.count > 20)
    for point in line.points {
      let value = point.x * point.x + point.y * point.y
      #expect(isClose(value, level, absolute: h * h / 4 + 1e-12))
    }
    #expect(abs(Self.area(line.points) + Double.pi * level) < 4 * h * h)
  }

  /// The filled region above a level, closed along the box where the contour leaves it:
  /// its area (holes negative) is the box's minus the disc's.
  @Test func regionAreasMatchTheExactOnes() throws {
    let nodes = 101
    let h = 2.0 / Double(nodes - 1)
    func regionArea(_ grid: ScalarGrid, _ level: Double) -> Double {
      MarchingSquares.region(grid, above: level).map(Self.area).reduce(0, +)
    }
    // A disc inside the box: a hole in the region.
    let centred = Self.grid(nodes) { x, y in x * x + y * y }
    #expect(isClose(regionArea(centred, 0.5), (4 - Double.pi * 0.5), absolute: 5 * h * h))
    // A half disc cut by the box's right side: the region is closed along it.
    let shifted = Self.grid(nodes) { x, y in (x - 1) * (x - 1) + y * y }
    #expect(isClose(regionArea(shifted, 1), (4 - Double.pi / 2), absolute: 5 * h * h))
    // A plane: the region right of x = 0.3, exact.
    let plane = Self.grid(nodes) { x, _ in x }
    #expect(isClose(regionArea(plane, 0.3), 1.4, absolute: 1e-12))
    // All above, and nothing above.
    #expect(isClose(regionArea(centred, -1), 4, absolute: 1e-12))
    #expect(MarchingSquares.region(centred, above: 3).isEmpty)
  }

  /// x·y with the origin at a cell's centre: that cell is a saddle cell at every small
  /// level. Above 0 the contours are the hyperbola's branches in the first and third
  /// quadrants, below 0 in the second and fourth; the asymptotic decider keeps each branch
  /// in its quadrant. Along the cell edges x·y is linear, so every vertex is exact.
  @Test(arguments: [1.0, -1.0])
  func saddleCellsFollowTheHyperbola(sign: Double) throws {
    let nodes = 20  // an odd number of cells: the origin is a cell centre
    let h = 2.0 / Double(nodes - 1)
    let grid = Self.grid(nodes) { x, y in x * y }
    let level = sign * 0.1 * h * h
    let lines = MarchingSquares.lines(grid, level: level)
    #expect(lines.count == 2)
    for line in lines {
      #expect(!line.isClosed)
      for point in line.points {
        #expect(isClose(point.x * point.y, level, absolute: 1e-12))
      }
      let quadrants = Set(line.points.map { ($0.x > 0 ? 1 : 0) + ($0.y > 0 ? 2 : 0) })
      #expect(quadrants.count == 1)
      let quadrant = try #require(quadrants.first)
      // Quadrants 1 and 3 (x, y of one sign) above zero; 2 and 4 below.
      #expect((quadrant == 0 || quadrant == 3) == (sign > 0))
    }
    // The region above the level: the two quadrants' parts joined (below 0) or apart.
    let regions = MarchingSquares.region(grid, above: level)
    #expect(regions.count == (sign > 0 ? 2 : 1))
  }

  /// A NaN or infinity on the grid counts as above every level: contours go around it,
  /// and nothing non-finite comes out.
  @Test func nonFiniteValuesAreWalledOff() throws {
    let h = 0.1
    let grid = Self.grid(21) { x, y in x == 0 && y == 0 ? .nan : x * x + y * y }
    #expect(grid.nonFiniteCount == 1)
    let lines = MarchingSquares.lines(grid, level: 0.5)
    #expect(lines.count == 2)
    #expect(lines.allSatisfy { $0.isClosed && $0.points.allSatisfy(\.isFinite) })
    // The circle, and a small loop round the NaN within one cell of it.
    let inner = try #require(lines.min { $0.points.count < $1.points.count })
    #expect(inner.points.allSatisfy { $0.distance(to: PlotPoint(0, 0)) <= h + 1e-12 })
  }

  /// The case table: every segment runs from a cell edge where the walk round the cell
  /// leaves the region above to one where it enters it.
  @Test func caseTableHasOneSegmentPerCrossingPair() {
    for index in 0..<16 {
      let crossings = (0..<4).filter {
        (index >> $0) & 1 != (index >> (($0 + 1) % 4)) & 1
      }.count
      #expect(MarchingSquares.segments[index].count == crossings / 2)
      #expect(MarchingSquares.joinedSaddles[index].count == crossings / 2)
    }
  }
}
