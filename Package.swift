// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "irc",
  products: [
    .library(name: "IRCKit", targets: ["IRCKit"]),
    .executable(name: "irc", targets: ["irc"]),
  ],
  targets: [
    .target(name: "IRCKit"),
    .target(name: "IRCEngines", dependencies: ["IRCKit"]),
    .executableTarget(name: "irc", dependencies: ["IRCKit"]),
    .testTarget(name: "IRCKitTests", dependencies: ["IRCKit"]),
    .testTarget(name: "IRCEnginesTests", dependencies: ["IRCEngines"]),
    .testTarget(name: "IRCCommandTests", dependencies: ["irc"]),
  ],
  swiftLanguageModes: [.v6]
)
