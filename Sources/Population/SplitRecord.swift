import Basics

/// The fields an event scan uses of one record, and where the next record starts.
struct SplitRecord {
    var nhs = Span()
    var code = Span()
    var date = Span()
    var value = Span()
    var fields = 0
    /// Line ends inside and at the end of the record.
    var lines = 0
    var next = 0
    /// The physical line the record starts on.
    var line = 0
    /// The NHS number when written as ten plain digits, else ``RecordScanner/noNumber``.
    var number = RecordScanner.noNumber
    /// The patient index's first slot for `number`.
    var entry: UInt64 = 0
    /// The code as a SNOMED CT id (``CodeTable``'s numeric key), when ``RecordScanner/splitCanonical(_:at:into:)``
    /// read it as one; else 0.
    var codeKey: UInt64 = 0
    /// The day of an ISO date that exists in ``DateValue``'s table, when
    /// ``RecordScanner/splitCanonical(_:at:into:)`` read it; else ``RecordScanner/noDay``.
    var day = RecordScanner.noDay
}
