/// Path arithmetic on strings.
///
/// PolyNet does not use `NSString.deletingLastPathComponent`: in swift-corelibs-foundation
/// (Swift 6.3 on Linux) it traps on a one-character relative path such as `x` — found by the
/// command-option fuzz suite with `--save=x`.
public enum PathText {
    /// The folder part of `path`: `a/b` → `a`, `b` → `` (the current folder), `/b` → `/`,
    /// `a/b/` → `a`, `/` → `/`.
    public static func parent(of path: String) -> String {
        var characters = Substring(path)
        while characters.count > 1, characters.last == "/" { characters.removeLast() }
        guard let slash = characters.lastIndex(of: "/") else { return "" }
        if slash == characters.startIndex { return "/" }
        var parent = characters[..<slash]
        while parent.count > 1, parent.last == "/" { parent.removeLast() }
        return String(parent)
    }
}
