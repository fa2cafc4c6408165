/// How a person may be reached, from the rules' `contact` block: all `false`/`nil` without one.
/// A condition that is unknown (a value it needs is missing) counts as not holding.
public struct ContactNeeds: Sendable, Hashable {
    /// A `not by telephone if` held: never put this person on a call list.
    public var notByTelephone: Bool
    /// A `no texts if` held: never send this person a text message.
    public var noTexts: Bool
    /// The language of the first `interpreter … if` that held.
    public var interpreter: String?
    /// The statements that held, printed as in the rules (for explanations), in block order.
    public var because: [String]

    public init(notByTelephone: Bool = false, noTexts: Bool = false, interpreter: String? = nil, because: [String] = [])
    {
        self.notByTelephone = notByTelephone
        self.noTexts = noTexts
        self.interpreter = interpreter
        self.because = because
    }

    /// Nothing said: ring, text, no interpreter.
    public static let none = ContactNeeds()

    /// For people: `not by telephone; no texts; interpreter: Polish`, or `nil` when nothing holds.
    public var summary: String? {
        var parts: [String] = []
        if notByTelephone { parts.append("not by telephone") }
        if noTexts { parts.append("no texts") }
        if let interpreter { parts.append("interpreter: \(interpreter)") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
