import Foundation

/// JSON text pieces written by hand where a whole `JSONSerialization` tree would be too large
/// or too slow (safetensors headers, streamed reports).
public enum JSONText {
    /// `string` as a JSON string literal: quotes, backslashes and control characters escaped
    /// (RFC 8259, section 7).
    public static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
