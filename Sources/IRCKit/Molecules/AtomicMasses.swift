/// Masses of the most abundant isotope of each element, in amu (unified atomic mass units):
/// the masses Gaussian and ORCA use for frequencies and IRCs.
///
/// References:
/// - NIST, *Atomic Weights and Isotopic Compositions for All Elements* (J. S. Coursey et
///   al.), relative atomic masses from the Atomic Mass Evaluation AME2016 (W. J. Huang et
///   al., Chin. Phys. C 41, 030002 (2017)); the isotope chosen is the one of largest
///   natural abundance. D and T are ²H and ³H.
public enum AtomicMasses {
  /// Symbol → mass (amu) of the most abundant isotope, H to Kr, plus I, D and T.
  public static let mostAbundant: [String: Double] = [
    "H": 1.00782503223, "D": 2.01410177812, "T": 3.0160492779,
    "He": 4.00260325413, "Li": 7.0160034366, "Be": 9.012183065, "B": 11.00930536,
    "C": 12, "N": 14.00307400443, "O": 15.99491461957, "F": 18.99840316273,
    "Ne": 19.9924401762, "Na": 22.989769282, "Mg": 23.985041697, "Al": 26.98153853,
    "Si": 27.97692653465, "P": 30.97376199842, "S": 31.9720711744, "Cl": 34.968852682,
    "Ar": 39.9623831237, "K": 38.9637064864, "Ca": 39.962590863, "Sc": 44.95590828,
    "Ti": 47.94794198, "V": 50.94395704, "Cr": 51.94050623, "Mn": 54.93804391,
    "Fe": 55.93493633, "Co": 58.93319429, "Ni": 57.93534241, "Cu": 62.92959772,
    "Zn": 63.92914201, "Ga": 68.9255735, "Ge": 73.921177761, "As": 74.92159457,
    "Se": 79.9165218, "Br": 78.9183376, "Kr": 83.9114977282, "I": 126.9044719,
  ]

  /// The element an isotope symbol belongs to: `D` and `T` are hydrogen.
  public static func element(of symbol: String) -> String {
    symbol == "D" || symbol == "T" ? "H" : symbol
  }
}
