namespace CommunityBot.Conversation;

/// <summary>
/// A Bloom filter over the processed log's keys (Bloom, "Space/time trade-offs in hash coding with allowable errors",
/// CACM 13(7), 1970; k indexes by double hashing as in Kirsch and Mitzenmacher, 2006): "not here" is certain, "maybe" sends
/// the check to LiteDB. Almost every message is new, so its turn skips the log's lookup. Sized at 10 bits per key with 7
/// indexes, about 1 % of new keys are "maybe" (false positives cost one lookup, nothing else). Thread-safe: bits are set
/// with <see cref="Interlocked.Or(ref ulong, ulong)"/>, and a key is added before it is committed, so a reader never
/// sees it missing after the commit. In memory only, rebuilt from the log at start and after each hourly cleanup.
/// </summary>
public sealed class ProcessedKeyFilter
{
    private const int BitsPerKey = 10;
    private const int Indexes = 7;

    private readonly ulong[] _words;
    private readonly ulong _bits;
    private readonly long _capacity;
    private long _count;

    public ProcessedKeyFilter(long capacity)
    {
        _capacity = Math.Max(capacity, 1024);
        _bits = (ulong)(_capacity * BitsPerKey + 63) / 64 * 64;
        _words = new ulong[_bits / 64];
    }

    /// <summary>More keys than it was sized for: "maybe" for most keys now, so it should no longer be asked.</summary>
    public bool Saturated => Interlocked.Read(ref _count) > _capacity;

    public void Add(string key)
    {
        var (h1, h2) = Hash(key);
        for (var i = 0UL; i < Indexes; i++)
        {
            var bit = (h1 + i * h2) % _bits;
            Interlocked.Or(ref _words[bit / 64], 1UL << (int)(bit % 64));
        }

        Interlocked.Increment(ref _count);
    }

    /// <summary>False only when <paramref name="key"/> was certainly never added.</summary>
    public bool MightContain(string key)
    {
        var (h1, h2) = Hash(key);
        for (var i = 0UL; i < Indexes; i++)
        {
            var bit = (h1 + i * h2) % _bits;
            if ((Volatile.Read(ref _words[bit / 64]) & (1UL << (int)(bit % 64))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    // FNV-1a over the UTF-16 code units (64-bit parameters from the FNV reference, http://www.isthe.com/chongo/tech/comp/fnv/),
    // then a 64-bit finalizer (MurmurHash3's fmix64) to spread it; the two halves drive the double hashing.
    private static (ulong, ulong) Hash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return (hash & 0xffffffffUL, (hash >> 32) | 1UL);
    }
}
