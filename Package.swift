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
    .target(name: "IRCBench", dependencies: ["IRCKit", "IRCEngines"]),
    // Everything that runs programs, talks to sockets or writes checkpoints: the library
    // above stays free of I/O.
    .target(name: "IRCEngines", dependencies: ["IRCKit"]),
    .executableTarget(name: "irc", dependencies: ["IRCKit", "IRCBench", "IRCEngines"]),
    .testTarget(name: "IRCKitTests", dependencies: ["IRCKit"]),
    .testTarget(name: "IRCBenchTests", dependencies: ["IRCBench", "IRCKit"]),
    .testTarget(name: "IRCEnginesTests", dependencies: ["IRCEngines", "IRCKit"]),
    .testTarget(name: "IRCCommandTests", dependencies: ["irc"]),
  ],
  swiftLanguageModes: [.v6]
)
