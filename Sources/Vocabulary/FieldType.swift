/// The types a `field` can have.
public enum FieldType: String, Sendable, Hashable, CaseIterable {
    case yesNo = "yes/no", number, date, text
}
