import Foundation
import Testing
@testable import FileSystem

/// A fresh temporary folder for one test.
func temporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "polynet-fs-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct RegularFileTests {
    @Test func writesAndReplacesAtomically() throws {
        let folder = try temporaryFolder()
        let path = folder + "/a.txt"
        try RegularFile.write("first", to: path)
        try RegularFile.write("second", to: path)
        #expect(String(decoding: try RegularFile.read(path), as: UTF8.self) == "second")
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["a.txt"])
    }

    @Test func refusesWhatIsNotARegularFile() throws {
        let folder = try temporaryFolder()
        #expect(throws: FileSystemError.notRegularFile(path: folder, kind: "a directory")) {
            try RegularFile.write("x", to: folder)
        }
        #expect(throws: FileSystemError.notRegularFile(path: "/dev/full", kind: "a character device")) {
            try RegularFile.write("x", to: "/dev/full")
        }
        // /dev/full is still the device.
        #expect(try FileKind(at: "/dev/full") == .other("a character device"))
        #expect(throws: FileSystemError.notRegularFile(path: "/dev/zero", kind: "a character device")) {
            try RegularFile.read("/dev/zero")
        }
        let fifo = folder + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: FileSystemError.notRegularFile(path: fifo, kind: "a FIFO")) { try RegularFile.read(fifo) }
        #expect(throws: FileSystemError.emptyPath) { try RegularFile.write("x", to: "") }
        #expect(throws: FileSystemError.missingDirectory(path: folder + "/no/such.txt")) {
            try RegularFile.write("x", to: folder + "/no/such.txt")
        }
        #expect(throws: FileSystemError.notFound(path: folder + "/absent")) { try RegularFile.read(folder + "/absent") }
    }

    @Test func writesThroughSymbolicLinks() throws {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/real", withIntermediateDirectories: true)
        try RegularFile.write("old", to: folder + "/real/target.txt")
        #expect(symlink("real/target.txt", folder + "/link.txt") == 0)
        let written = try RegularFile.write("new", to: folder + "/link.txt")
        #expect(written == folder + "/real/target.txt")
        #expect(try FileKind(at: folder + "/link.txt") == .symbolicLink)
        #expect(String(decoding: try RegularFile.read(folder + "/real/target.txt"), as: UTF8.self) == "new")
        // A dangling link creates its target.
        #expect(symlink("real/created.txt", folder + "/dangling") == 0)
        try RegularFile.write("made", to: folder + "/dangling")
        #expect(String(decoding: try RegularFile.read(folder + "/real/created.txt"), as: UTF8.self) == "made")
        // A loop is an error, not a hang.
        #expect(symlink("loop-b", folder + "/loop-a") == 0)
        #expect(symlink("loop-a", folder + "/loop-b") == 0)
        #expect(throws: FileSystemError.symlinkLoop(path: folder + "/loop-a")) { try RegularFile.write("x", to: folder + "/loop-a") }
    }

    @Test func readRefusesOversizedFiles() throws {
        let folder = try temporaryFolder()
        try RegularFile.write(Data(count: 100), to: folder + "/big")
        #expect(throws: FileSystemError.tooLarge(path: folder + "/big", bytes: 100, limit: 99)) {
            try RegularFile.read(folder + "/big", maximumBytes: 99)
        }
        #expect(try RegularFile.read(folder + "/big", maximumBytes: 100).count == 100)
    }

    @Test func removesOnlyStaleTemporaries() throws {
        let folder = try temporaryFolder()
        // A process id that cannot be running (above the kernel's pid_max of 2^22).
        let stale = ".model.safetensors\(RegularFile.temporaryMarker)99999999.1"
        let live = ".model.safetensors\(RegularFile.temporaryMarker)\(getpid()).1"
        for name in [stale, live, ".dat.nosync1a2b", "model.safetensors"] {
            try RegularFile.write("x", to: folder + "/" + name)
        }
        let removed = RegularFile.removeStaleTemporaries(in: folder)
        #expect(Set(removed) == [stale, ".dat.nosync1a2b"])
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == [live, "model.safetensors"])
    }
}

@Suite struct DirectoryLockTests {
    @Test func secondHolderIsRefusedWithTheFirstHoldersPid() throws {
        let folder = try temporaryFolder()
        do {
            let first = try DirectoryLock(folder)
            #expect(throws: FileSystemError.locked(path: folder, holder: getpid())) { _ = try DirectoryLock(folder) }
            withExtendedLifetime(first) {}
        }
        // Released with its holder.
        _ = try DirectoryLock(folder)
    }
}

@Suite struct DirectoryTests {
    @Test func createsParentsAndRefusesFilesInTheWay() throws {
        let folder = try temporaryFolder()
        try Directory.create(folder + "/a/b/c")
        try Directory.create(folder + "/a/b/c")  // Existing: fine.
        try Directory.checkExists(folder + "/a/b")
        try RegularFile.write("x", to: folder + "/file")
        #expect(throws: FileSystemError.notDirectory(path: folder + "/file", kind: "a regular file")) {
            try Directory.create(folder + "/file")
        }
        #expect(throws: FileSystemError.notDirectory(path: folder + "/file", kind: "a regular file")) {
            try Directory.create(folder + "/file/sub")
        }
        #expect(throws: FileSystemError.notFound(path: folder + "/none")) { try Directory.checkExists(folder + "/none") }
        #expect(throws: FileSystemError.notDirectory(path: "/dev/null", kind: "a character device")) {
            try Directory.checkExists("/dev/null")
        }
        #expect(throws: FileSystemError.emptyPath) { try Directory.create("") }
        try Directory.checkCreatable(folder + "/new/deeper")
        #expect(!FileManager.default.fileExists(atPath: folder + "/new"))
        #expect(throws: FileSystemError.notDirectory(path: folder + "/file", kind: "a regular file")) {
            try Directory.checkCreatable(folder + "/file/sub/deeper")
        }
    }
}

@Suite struct PathTextTests {
    @Test(arguments: [("a/b", "a"), ("b", ""), ("x", ""), ("/b", "/"), ("a/b/", "a"), ("/", "/"), ("a//b", "a"),
                      ("/a/b/c", "/a/b"), ("", ""), ("./x", ".")])
    func parentFolder(path: String, parent: String) {
        #expect(PathText.parent(of: path) == parent)
    }

    /// One-character relative paths (which trap in NSString.deletingLastPathComponent) are
    /// written and checked like any other.
    @Test func oneCharacterPathsWork() throws {
        let folder = try temporaryFolder()
        let previous = FileManager.default.currentDirectoryPath
        #expect(FileManager.default.changeCurrentDirectoryPath(folder))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        try RegularFile.checkWritable("x")
        try Directory.checkCreatable("y")
    }
}

@Suite struct InheritedLockTests {
    /// A lock naming this process that no DirectoryLock holds — what a child process that is
    /// still starting holds after this process released it — is waited for, not refused.
    @Test func aTransientLockNamingThisProcessIsWaitedFor() throws {
        let folder = try temporaryFolder()
        let path = folder + "/" + DirectoryLock.fileName
        let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        #expect(descriptor >= 0 && flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pwrite(descriptor, pid, pid.count, 0)
        // Released 50 ms later, as a child's exec would release it.
        let release = Thread { usleep(50_000); close(descriptor) }
        release.start()
        // Without the wait this would throw `locked` at once.
        _ = try DirectoryLock(folder)
    }

    /// A lock held by another descriptor for good is refused after the bounded wait.
    @Test func aLockThatStaysIsRefusedAfterTheWait() throws {
        let folder = try temporaryFolder()
        let path = folder + "/" + DirectoryLock.fileName
        let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pwrite(descriptor, pid, pid.count, 0)
        #expect(throws: FileSystemError.locked(path: folder, holder: getpid())) { _ = try DirectoryLock(folder) }
    }
}
