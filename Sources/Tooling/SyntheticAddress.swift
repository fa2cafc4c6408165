import Basics

/// A synthetic patient's postal address: a house number on a made-up street in a made-up town,
/// so no real address is ever generated (the postcode stays in its own column).
///
/// Drawn from a generator of its own, seeded from the patient's NHS number, never from the
/// extract's main one: every other value of a synthetic extract is the same with addresses as
/// it was without them. A few percent of patients have only a first line, or no address at all,
/// as real extracts do.
struct SyntheticAddress: Equatable {
    /// Lines 1 to 5 (house name or flat, number and street, village, town, county); `""` for a
    /// blank line.
    let lines: [String]

    /// The lines that are not blank, as the reader gives them back.
    var nonBlankLines: [String] { lines.filter { !$0.isEmpty } }

    static let houseNames = ["Rose Cottage", "The Old Forge", "Testwell House", "Flat 2, Samplegate Court", "Annexe"]
    static let streets = [
        "Fictional Street", "Sample Road", "Placeholder Lane", "Testbed Avenue", "Imaginary Close", "Exemplar Way",
        "Mock Row", "Brontë Drive", "Synthetic Crescent", "Notareal Gardens", "Dummy Terrace", "Invented Hill",
    ]
    static let villages = ["Little Sampling", "Upper Testwick", "Nether Mockford", "Fauxley Green"]
    static let towns = ["Exampleton", "Testbury", "Sampleford", "Mockbridge"]
    static let county = "Exampleshire"

    /// The address of the patient with NHS number `nhs` at practice number `practice` (which
    /// picks the town, as the postcode's area does).
    init(nhs: UInt64, practice: Int) {
        var random = SeededRandom(seed: nhs ^ 0xADD7_E55E_5A17_0001)
        func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }
        let street = "\(1 + random.next() % 180) \(pick(Self.streets))"
        let completeness = random.next() % 100
        if completeness < 2 {
            lines = ["", "", "", "", ""]
            return
        }
        if completeness < 5 {
            lines = [street, "", "", "", ""]
            return
        }
        let house = random.chance(0.12) ? pick(Self.houseNames) : ""
        let village = random.chance(0.25) ? pick(Self.villages) : ""
        let town = Self.towns[practice % Self.towns.count]
        let county = random.chance(0.7) ? Self.county : ""
        lines = [house, street, village, town, county]
    }
}
