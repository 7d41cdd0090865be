extension SurfaceScale {
  /// The longest step of every stationary-point search (the P-RFO and minimiser trust
  /// radius, the dimer's and the band's largest move): 5 % of the region's shortest side
  /// (0.14 on Müller–Brown), short enough that a quadratic model holds over it and long
  /// enough to cross a basin in a few dozen steps.
  public var searchStepLimit: Double { 0.05 * shortestSide }
}
