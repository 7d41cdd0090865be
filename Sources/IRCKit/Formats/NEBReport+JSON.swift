/// The JSON document of `irc neb` (`shared/reference/outputs.md`): the ends, the relaxed
/// band, the saddles and minima read from it and the path it was re-seated on; every
/// coordinate as shown (Cartesian Å for a molecule).
extension NEBReport {
  public var json: JSONValue {
    guard let relaxed, let path else {
      return .object([
        .init("potential", .string(potential.name)),
        .init("band", .object([.init("converged", .bool(false))])),
        .init("error", .string(failure.map { "\($0)" } ?? "")),
      ])
    }
    // An engine failure after the band relaxed: what it stopped, in the log's words.
    let stoppedMembers = stopped.map { [JSONValue.Member("error", .string("\($0)"))] } ?? []
    return .object(
      [
        .init("potential", .string(potential.name)),
        .init("from", endJSON(from)), .init("to", endJSON(to)),
        .init("images", .number(Double(images))),
        .init(
          "band",
          .object([
            .init("converged", .bool(relaxed.converged)),
            .init("iterations", .number(Double(relaxed.iterations))),
            .init("climbingImage", .number(Double(relaxed.climbingImage))),
            .init(
              "images", .array(relaxed.images.map { .numbers(shown($0.coordinates).components) })),
          ])),
        .init("saddles", .array(saddles.map(saddleJSON))),
        .init(
          "minima",
          .array(
            minima.map {
              .object(shown($0.search.saddle).jsonMembers + [.init("matches", Self.label($0))])
            })),
        .init("path", pathJSON(path)),
        .init("gradientEvaluations", .number(Double(counts.gradients))),
        .init("hessianEvaluations", .number(Double(counts.hessians))),
      ] + stoppedMembers)
  }

  private static func label(_ found: Found) -> JSONValue {
    found.label.map(JSONValue.string) ?? .null
  }

  private func endJSON(_ end: End) -> JSONValue {
    .object([.init("name", .string(end.name))] + shown(end.point).jsonMembers)
  }

  private func saddleJSON(_ found: Found) -> JSONValue {
    .object(
      shown(found.search.saddle).jsonMembers + [
        .init("converged", .bool(true)),
        .init("iterations", .number(Double(found.search.iterations))),
        .init("gradientEvaluations", .number(Double(found.search.counts.gradients))),
        .init("hessianEvaluations", .number(Double(found.search.counts.hessians))),
        .init("matches", Self.label(found)),
      ])
  }

  private func pathJSON(_ path: MinimumEnergyPath) -> JSONValue {
    .object([
      .init("complete", .bool(path.complete)), .init("length", .number(path.length)),
      .init(
        "images",
        .array(
          trajectory.frames.map { frame in
            .object([
              .init("s", .number(frame.arcLength)),
              .init("coordinates", .numbers(shown(frame.coordinates).components)),
              .init("energy", .number(frame.energy)),
              .init("gradNorm", .number(frame.gradientNorm)),
            ])
          })),
    ])
  }
}
