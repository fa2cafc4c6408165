import Basics

/// Practice ODS codes: a letter and five letters or digits (`E82001`, `Y02345`), upper case.
public enum PracticeCode {
    public static func parse(_ text: String) -> String? {
        let upper = text.trimmed.uppercased()
        let bytes = Array(upper.utf8)
        guard bytes.count == 6, bytes[0].isLetter, bytes.allSatisfy({ $0.isLetter || $0.isDigit }),
            bytes.dropFirst().contains(where: { $0.isDigit })
        else { return nil }
        return upper
    }

    /// The practice code in a file name: a part (between non-alphanumerics) that is a letter and
    /// five digits, as in `practice-E82001.csv` or `E82001_patients.csv`.
    public static func inFileName(_ path: String) -> String? {
        let name = FileIO.fileName(of: path)
        var part: [UInt8] = []
        for byte in Array(name.utf8) + [0x2E] {
            if byte.isLetter || byte.isDigit {
                part.append(byte)
                continue
            }
            if part.count == 6, part[0].isLetter, part.dropFirst().allSatisfy(\.isDigit) {
                return String(decoding: part.map(\.uppercased), as: UTF8.self)
            }
            part.removeAll()
        }
        return nil
    }
}
