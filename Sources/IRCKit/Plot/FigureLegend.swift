/// A legend laid out in rows under a figure: a symbol and its words per entry.
struct FigureLegend: Sendable {
  enum Symbol: Sendable, Equatable {
    /// A line in a colour, optionally dashed, optionally over a dark halo (as on a map).
    case line(color: String, dash: String?, halo: Bool, width: Double = 2)
    case marker(PlotMarker.Kind)
  }

  var entries: [(symbol: Symbol, text: String)] = []

  static let rowHeight = 20.0
  static let symbolWidth = 26.0
  static let spacing = 18.0

  init(entries: [(symbol: Symbol, text: String)]) {
    self.entries = entries
  }

  /// Entries for the curves' roles (once per text), the marker kinds present and the
  /// tolerance line.
  init(curves: [(String, PlotCurve.Role)], markerKinds: Set<PlotMarker.Kind>, tolerance: Bool) {
    var seen: Set<String> = []
    for (text, role) in curves where seen.insert(text).inserted {
      entries.append((Self.symbol(for: role), text))
    }
    for kind in PlotMarker.Kind.allCases where markerKinds.contains(kind) {
      entries.append((.marker(kind), kind == .other ? "other point" : kind.rawValue))
    }
    if tolerance {
      entries.append(
        (.line(color: PlotStyle.text, dash: "5 3", halo: false, width: 1), "|∇V| tolerance"))
    }
  }

  static func symbol(for role: PlotCurve.Role) -> Symbol {
    let stroke = role.stroke
    return .line(color: stroke.color, dash: stroke.dash, halo: true, width: stroke.width)
  }

  private func entryWidth(_ entry: (symbol: Symbol, text: String)) -> Double {
    Self.symbolWidth + 6 + PlotStyle.textWidth(entry.text, size: PlotStyle.fontSize)
  }

  /// The width of all entries in one row.
  func width(maximum: Double) -> Double {
    min(maximum, entries.map(entryWidth).reduce(0) { $0 + $1 + Self.spacing })
  }

  /// The rows, each as many entries as fit in `width`.
  private func rows(width: Double) -> [[(symbol: Symbol, text: String)]] {
    var rows: [[(symbol: Symbol, text: String)]] = []
    var used = Double.infinity
    for entry in entries {
      let needed = entryWidth(entry) + Self.spacing
      if used + needed > width {
        rows.append([])
        used = 0
      }
      rows[rows.count - 1].append(entry)
      used += needed
    }
    return rows
  }

  func height(width: Double) -> Double { Double(rows(width: width).count) * Self.rowHeight }

  func draw(_ svg: inout SVGWriter, left: Double, top: Double, width: Double) {
    guard !entries.isEmpty else { return }
    svg.open("g", [.text("class", "legend"), .text("fill", PlotStyle.text)])
    for (rowIndex, row) in rows(width: width).enumerated() {
      var x = left
      let y = top + Double(rowIndex) * Self.rowHeight
      for entry in row {
        let middle = PlotPoint(x + Self.symbolWidth / 2, y)
        switch entry.symbol {
        case .line(let color, let dash, let halo, let width):
          var line = SVGPath()
          line.move(to: PlotPoint(x, y))
          line.line(to: PlotPoint(x + Self.symbolWidth, y))
          if halo {
            svg.element(
              "path",
              [
                .path(line), .text("stroke", PlotStyle.halo), .number("stroke-width", 4.4),
                .number("stroke-opacity", 0.55, decimals: 2),
              ])
          }
          svg.element(
            "path",
            [.path(line), .text("stroke", color), .number("stroke-width", width)]
              + (dash.map { [.text("stroke-dasharray", $0)] } ?? []))
        case .marker(let kind):
          let shape = MapPanel.markerShape(kind)
          svg.element(
            shape.name,
            shape.attributes(middle) + [
              .text("fill", "#ffffff"), .text("stroke", PlotStyle.halo),
              .number("stroke-width", 1.3),
            ])
        }
        svg.text(entry.text, [.number("x", x + Self.symbolWidth + 6), .number("y", y + 4)])
        x += entryWidth(entry) + Self.spacing
      }
    }
    svg.close()
  }
}
