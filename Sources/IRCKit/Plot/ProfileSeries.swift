/// Energy and |∇V| along a path, against its signed arc length: the input of a profile.
public struct ProfileSeries: Sendable, Equatable {
  public struct Point: Sendable, Equatable {
    /// Signed arc length: negative on the backward branch, 0 at the saddle.
    public var arcLength: Double
    public var energy: Double
    public var gradientNorm: Double
    /// Which branch the point lies on; colours it.
    public var direction: PathDirection
    /// A label written beside the point (a saddle's or a minimum's name), if any.
    public var label: String?

    public init(
      arcLength: Double, energy: Double, gradientNorm: Double, direction: PathDirection,
      label: String? = nil
    ) {
      self.arcLength = arcLength
      self.energy = energy
      self.gradientNorm = gradientNorm
      self.direction = direction
      self.label = label
    }
  }

  /// In order of increasing arc length.
  public var points: [Point]
  /// The |∇V| below which a branch stops, drawn as a line; nil draws none.
  public var gradientTolerance: Double?

  public init(points: [Point], gradientTolerance: Double? = nil) {
    self.points = points
    self.gradientTolerance = gradientTolerance
  }
}

extension ProfileSeries {
  /// The profile of a chain of images (a band): arc length along the chain's chords,
  /// 0 at the highest image (the climbing image, marked as the saddle), negative before
  /// it; the points before it coloured as the backward branch, after it as the forward.
  /// - Parameters:
  ///   - images: the images in order, each with its energy and |∇V|.
  ///   - labels: written beside images by index (the end minima, the saddle).
  public init(
    images: [(coordinates: Vector, energy: Double, gradientNorm: Double)],
    gradientTolerance: Double? = nil, labels: [Int: String] = [:]
  ) {
    var lengths = [0.0]
    for index in images.indices.dropFirst() {
      lengths.append(
        lengths[index - 1] + images[index].coordinates.distance(to: images[index - 1].coordinates))
    }
    let finite = images.indices.filter { images[$0].energy.isFinite }
    let top = finite.max { images[$0].energy < images[$1].energy } ?? 0
    let points = images.indices.map { index in
      Point(
        arcLength: lengths.isEmpty ? 0 : lengths[index] - lengths[top],
        energy: images[index].energy, gradientNorm: images[index].gradientNorm,
        direction: index < top ? .backward : index == top ? .saddle : .forward,
        label: labels[index])
    }
    self.init(points: points, gradientTolerance: gradientTolerance)
  }
}
