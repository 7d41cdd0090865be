import Foundation
import Glibc

/// One output file written beside its destination but under no name until it is complete.
///
/// On Linux the data goes to an unnamed file in the destination's folder (`open(2)` with
/// `O_TMPFILE`): a crash, a full disk or even SIGKILL while writing leaves nothing behind.
/// Once written and `fsync`ed it is linked to an unpredictable name `.irc-tmp-<16 hex
/// digits>` (`linkat(2)` through `/proc/self/fd`, which never replaces an existing entry),
/// then renamed over the destination (`rename(2)` replaces a link itself, never the file it
/// points to). Where `O_TMPFILE` is not supported the file is created under such a name at
/// once, with `O_CREAT | O_EXCL | O_NOFOLLOW`: nothing planted at the name is opened.
struct StagedFile {
  /// The prefix of every temporary name: a file left by SIGKILL between naming and renaming
  /// is complete, and this prefix says what it is.
  static let temporaryPrefix = ".irc-tmp-"
  /// Random names tried before giving up: a collision means someone is planting names.
  static let nameAttempts = 64

  /// The destination as given, for messages.
  let path: String
  /// The destination's folder as an absolute path, and its name there.
  let folder: String
  let name: String
  /// The folder, opened once: every later step names files relative to it.
  private let folderDescriptor: Int32
  private var descriptor: Int32
  /// Whether the file still has no name (`O_TMPFILE`).
  private var unnamed: Bool
  /// The temporary name in `folder`, once the file has one.
  private(set) var temporaryName: String?
  /// Whether the file is in place under its destination's name.
  private(set) var isRenamed = false

  /// Creates the temporary file for `path`.
  init(for path: String) throws(CommandError) {
    self.path = path
    let url = URL(fileURLWithPath: path)
    folder = url.deletingLastPathComponent().path
    name = url.lastPathComponent
    folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard folderDescriptor >= 0 else { throw Self.failure(path, errno) }
    descriptor = -1
    unnamed = true
    descriptor = openat(folderDescriptor, ".", Self.unnamedFlags, 0o666)
    if descriptor >= 0, access("/proc/self/fd", X_OK) == 0 { return }
    let cause = errno
    if descriptor >= 0 {
      Glibc.close(descriptor)
    } else if ![EOPNOTSUPP, EISDIR, EINVAL, ENOENT].contains(cause) {
      Glibc.close(folderDescriptor)
      throw Self.failure(path, cause)
    }
    unnamed = false
    do {
      try createNamed()
    } catch {
      Glibc.close(folderDescriptor)
      throw error
    }
  }

  /// `O_TMPFILE | O_WRONLY | O_CLOEXEC`; `O_TMPFILE` is `__O_TMPFILE | O_DIRECTORY`, and
  /// `__O_TMPFILE` is 0o20000000 on every Linux architecture Swift supports.
  private static let unnamedFlags: Int32 = 0o20000000 | O_DIRECTORY | O_WRONLY | O_CLOEXEC

  private static func randomName() -> String {
    let digits = String(UInt64.random(in: .min ... .max), radix: 16)
    return temporaryPrefix + String(repeating: "0", count: 16 - digits.count) + digits
  }

  /// The fallback: a new file under a random name, registered for removal by a signal.
  private mutating func createNamed() throws(CommandError) {
    for _ in 0..<Self.nameAttempts {
      let candidate = Self.randomName()
      let fullPath = folder + "/" + candidate
      let (created, cause) = SignalGuard.critical { () -> (Int32, Int32) in
        let fd = openat(
          folderDescriptor, candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard fd >= 0 else { return (fd, errno) }
        guard SignalGuard.register(fullPath) else {
          Glibc.close(fd)
          unlinkat(folderDescriptor, candidate, 0)
          return (-1, ENAMETOOLONG)
        }
        return (fd, 0)
      }
      if created >= 0 {
        descriptor = created
        temporaryName = candidate
        return
      }
      if cause != EEXIST { throw Self.failure(path, cause) }
    }
    throw Self.failure(path, EEXIST)
  }

  /// Writes `data` whole and flushes it to the disk.
  func write(_ text: String) throws(CommandError) {
    var text = text
    let cause = text.withUTF8 { bytes -> Int32 in
      var offset = 0
      while offset < bytes.count {
        let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += written
      }
      return fsync(descriptor) == 0 ? 0 : errno
    }
    if cause != 0 { throw Self.failure(path, cause) }
  }

  /// Gives the complete file its temporary name (call inside `SignalGuard.critical`).
  mutating func link() throws(CommandError) {
    guard unnamed else { return }
    for _ in 0..<Self.nameAttempts {
      let candidate = Self.randomName()
      if linkat(
        AT_FDCWD, "/proc/self/fd/\(descriptor)", folderDescriptor, candidate, AT_SYMLINK_FOLLOW)
        == 0
      {
        guard SignalGuard.register(folder + "/" + candidate) else {
          unlinkat(folderDescriptor, candidate, 0)
          throw Self.failure(path, ENAMETOOLONG)
        }
        temporaryName = candidate
        unnamed = false
        return
      }
      let cause = errno
      if cause != EEXIST { throw Self.failure(path, cause) }
    }
    throw Self.failure(path, EEXIST)
  }

  /// Renames the named file over the destination (call inside `SignalGuard.critical`).
  mutating func rename() throws(CommandError) {
    guard let temporaryName,
      renameat(folderDescriptor, temporaryName, folderDescriptor, name) == 0
    else { throw Self.failure(path, errno) }
    isRenamed = true
  }

  /// Closes the file: flushes the folder's entries if it is in place, else removes its
  /// temporary name, if any.
  func finish() {
    if isRenamed {
      fsync(folderDescriptor)
    } else if let temporaryName {
      unlinkat(folderDescriptor, temporaryName, 0)
    }
    Glibc.close(descriptor)
    Glibc.close(folderDescriptor)
  }

  /// An error naming the file and the cause in words a user can act on.
  static func failure(_ path: String, _ cause: Int32) -> CommandError {
    let reason: String
    switch cause {
    case ENOSPC: reason = "no space left on the device"
    case EDQUOT: reason = "the disk quota is exhausted"
    case EFBIG: reason = "the file is larger than the file-size limit (ulimit -f) allows"
    case EEXIST: reason = "no unused temporary name in its folder"
    default: reason = String(cString: strerror(cause))
    }
    return CommandError(
      message: "cannot write \(path): \(reason); no output file was changed")
  }
}
