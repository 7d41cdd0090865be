/// A stationary point as `shared/reference/outputs.md` describes one in every JSON
/// document: coordinates, energy, |∇V| and the Hessian's eigenvalues.
extension StationaryPoint {
  public var jsonMembers: [JSONValue.Member] {
    [
      .init("coordinates", .numbers(coordinates.components)),
      .init("energy", .number(energy)), .init("gradNorm", .number(gradientNorm)),
      .init("hessianEigenvalues", .numbers(hessianEigenvalues)),
    ]
  }
}
