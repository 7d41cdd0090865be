// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "irc",
  products: [
    .library(name: "IRCKit", targets: ["IRCKit"]),
    .library(name: "IRCBench", targets: ["IRCBench"]),
    .executable(name: "irc", targets: ["irc"]),
  ],
  targets: [
    .target(name: "IRCKit"),
    // Measurement and timing (benchmarks, surface timing): not part of the product library.
    .target(name: "IRCBench", dependencies: ["IRCKit"]),
    .executableTarget(name: "irc", dependencies: ["IRCKit", "IRCBench"]),
    .testTarget(name: "IRCKitTests", dependencies: ["IRCKit"]),
    .testTarget(name: "IRCBenchTests", dependencies: ["IRCBench", "IRCKit"]),
    .testTarget(name: "IRCCommandTests", dependencies: ["irc"]),
  ],
  swiftLanguageModes: [.v6]
)
