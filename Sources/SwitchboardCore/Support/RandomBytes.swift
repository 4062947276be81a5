#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Cryptographically secure random bits, drawn from the kernel 4 KiB at a time.
///
/// `SystemRandomNumberGenerator` makes one `getrandom` call per `next()`; an id needs 80 bits and
/// the delivery path makes several ids per delivery, so drawing them one call each showed up as
/// a few percent of the engine's CPU. The bits are the same kernel CSPRNG output, only fetched in bulk.
public enum RandomBytes {
    private static let pool = Mutex(Pool())

    private struct Pool: ~Copyable {
        static let size = 4096
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        var offset = size

        mutating func take(_ count: Int) -> UnsafeRawBufferPointer {
            if offset + count > Self.size {
                Self.fill(storage)
                offset = 0
            }
            defer { offset += count }
            return UnsafeRawBufferPointer(rebasing: storage[offset..<offset + count])
        }

        private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
            // The kernel's CSPRNG (glibc 2.36+ and Darwin draw it through getrandom / the entropy pool).
            arc4random_buf(buffer.baseAddress!, buffer.count)
        }

        deinit { storage.deallocate() }
    }

    /// 64 random bits.
    public static func uint64() -> UInt64 {
        pool.withLock { pool in pool.take(8).loadUnaligned(as: UInt64.self) }
    }

    /// 16 random bits.
    public static func uint16() -> UInt16 {
        pool.withLock { pool in pool.take(2).loadUnaligned(as: UInt16.self) }
    }

    /// A uniformly distributed value in `0..<1`.
    public static func unitInterval() -> Double {
        Double(uint64() >> 11) * 0x1p-53
    }
}
