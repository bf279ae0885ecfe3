using CommunityBot.Admin;
using Microsoft.AspNetCore.Identity;

namespace CommunityBot.Tests.Admin;

/// <summary>
/// The real password hasher, whose checks wait until the test opens the gate: the test sees how many checks are
/// running at once, and decides when they finish. Hashing new passwords is not held.
/// </summary>
public sealed class GatedPasswordHasher : IPasswordHasher<AdminUser>, IDisposable
{
    private readonly PasswordHasher<AdminUser> _inner = new();
    private readonly ManualResetEventSlim _gate = new(initialState: false);
    private readonly SemaphoreSlim _entered = new(0);
    private int _checks;

    /// <summary>Password checks started so far.</summary>
    public int Checks => Volatile.Read(ref _checks);

    public string HashPassword(AdminUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(AdminUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _checks);
        _entered.Release();
        _gate.Wait();
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }

    /// <summary>
    /// Returns once <paramref name="count"/> more checks are inside the hasher at the same time. Bounded, so that code
    /// which hashes one at a time fails the test instead of hanging it; nothing is timed.
    /// </summary>
    public void WaitUntilInside(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(_entered.Wait(TimeSpan.FromSeconds(30)), $"{count} password checks at the same time");
        }
    }

    public void Open() => _gate.Set();

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
        _entered.Dispose();
    }
}
