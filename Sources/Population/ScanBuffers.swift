/// The memory one core's event scan reuses from one part of a file (or one file) to the next:
/// the read window and the batch of matched events. A new window for each part meant a megabyte
/// allocated and cleared, and its pages touched afresh, for each part (parts are 4 MB or more,
/// the last ones a quarter of the others).
struct ScanBuffers {
    /// ``BlockReader``'s window, empty until the first part allocates it.
    var window: [UInt8] = []
    /// A window's matched events, handed to the sink and emptied after each window.
    var events: [ScannedEvent] = []
}
