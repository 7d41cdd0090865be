import Foundation

SignalGuard.install()
let console = Console()
let code = Tool.run(Array(CommandLine.arguments.dropFirst()), console: console)
console.flush()
exit(code.rawValue)
