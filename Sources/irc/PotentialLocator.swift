import Foundation
import IRCKit

/// Finds potential files: a path as given, or a built-in by name in the potential
/// directories, from any working directory.
///
/// The directories, in order: each of `$IRC_POTENTIALS` (colon-separated); the
/// `potentials/` folder of the package the running `irc` was built in (found by walking
/// up from the executable to a folder holding both `Package.swift` and `potentials/`);
/// and that of the source tree this file was compiled from.
enum PotentialLocator {
  static let defaultName = "muller-brown"

  static var directories: [String] {
    var result: [String] = []
    if let variable = ProcessInfo.processInfo.environment["IRC_POTENTIALS"] {
      result += variable.split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    if !CommandLine.arguments[0].contains("/"), let found = executableOnPath() {
      folder = found.deletingLastPathComponent()
    }
    while folder.path != "/" {
      let potentials = folder.appendingPathComponent("potentials")
      if FileManager.default.fileExists(
        atPath: folder.appendingPathComponent("Package.swift").path),
        isDirectory(potentials.path)
      {
        result.append(potentials.path)
        break
      }
      folder = folder.deletingLastPathComponent()
    }
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("potentials")
    if isDirectory(source.path) { result.append(source.path) }
    var unique: [String] = []
    for directory in result where !unique.contains(standardized(directory)) {
      unique.append(standardized(directory))
    }
    return unique
  }

  private static func standardized(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
  }

  private static func executableOnPath() -> URL? {
    let name = CommandLine.arguments[0]
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
      if FileManager.default.isExecutableFile(atPath: candidate.path) {
        return candidate.resolvingSymlinksInPath()
      }
    }
    return nil
  }

  private static func isDirectory(_ path: String) -> Bool {
    var flag: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
  }

  /// Whether an argument names a file rather than a built-in.
  static func isPath(_ argument: String) -> Bool {
    argument.contains("/") || argument.hasSuffix(".json")
  }

  /// The built-in files by name (first directory wins), sorted by name.
  static func builtIns() -> [(name: String, path: String)] {
    var found: [String: String] = [:]
    for directory in directories {
      let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
      for file in files where file.hasSuffix(".json") {
        let name = String(file.dropLast(5))
        if found[name] == nil { found[name] = directory + "/" + file }
      }
    }
    return found.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// The potential a command's arguments name, as given: errors about the file's content
  /// name it so (a built-in by its name, a file by the path the user typed).
  static func argument(of arguments: ParsedArguments) -> String {
    arguments.positionals.first ?? defaultName
  }

  /// Loads a potential by name or path.
  static func load(_ argument: String) throws(CommandError) -> (potential: Potential, path: String)
  {
    let path: String
    if isPath(argument) {
      path = argument
    } else {
      guard let found = builtIns().first(where: { $0.name == argument }) else {
        let names = builtIns().map(\.name)
        var message = "unknown potential '\(InputExcerpt.cut(argument))'"
        if let near = Help.nearest(argument, among: names) {
          message += "; did you mean '\(near)'?"
        }
        message +=
          names.isEmpty
          ? "\nNo potential directory was found; set IRC_POTENTIALS to the folder of .json files."
          : "\nBuilt-in potentials: \(names.joined(separator: ", ")) (see 'irc potentials')."
        message += "\nTo load your own file, give its path (for example ./my-surface.json)."
        throw CommandError(message: message)
      }
      path = found.path
    }
    let data: Data
    do {
      // Read no more than the limit allows (plus one byte, to know it was passed), so that
      // a huge file or an endless device is refused without reading it all.
      let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      let limit = PotentialFileLimit.fileSize.limit
      data = try handle.read(upToCount: limit + 1) ?? Data()
      if data.count > limit {
        let size = (try? handle.seekToEnd()).map(Int.init) ?? data.count
        let error = PotentialFileError.tooLarge(
          file: path, path: "", limit: .fileSize, found: max(size, data.count))
        throw CommandError(message: "\(error)\nSee the potential-file format in README.md.")
      }
    } catch let error as CommandError {
      throw error
    } catch {
      throw CommandError(
        message: FileManager.default.fileExists(atPath: path)
          ? "cannot read the potential file \(path)" : "no potential file at \(path)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CommandError(message: "\(path): not UTF-8 text; a potential file is UTF-8 JSON")
    }
    do {
      return (try Potential(decoding: text, file: path), path)
    } catch {
      throw CommandError(message: "\(error)\nSee the potential-file format in README.md.")
    }
  }
}
