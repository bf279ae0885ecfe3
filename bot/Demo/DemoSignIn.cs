using System.Security.Cryptography;
using System.Text;

namespace CommunityBot.Demo;

/// <summary>
/// The demo's one-time console sign-in: a random token printed at start (see <see cref="DemoSeeder"/>) that, used once
/// from this machine, creates the console's first account with a password of the newcomer's choosing. Held in memory
/// only: a restart forgets it (and prints a new one while there is still no account).
/// </summary>
public sealed class DemoSignIn
{
    /// <summary>The console account the sign-in creates.</summary>
    public const string AccountName = "admin";

    public const string Path = "/admin/login/demo";

    private readonly Lock _lock = new();
    private byte[]? _hash;

    /// <summary>Whether a token was issued and not used yet.</summary>
    public bool IsPending
    {
        get
        {
            lock (_lock)
            {
                return _hash is not null;
            }
        }
    }

    /// <summary>Issues a new token (any earlier one stops working) and returns it.</summary>
    public string Issue()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(24));
        lock (_lock)
        {
            _hash = Hash(token);
        }

        return token;
    }

    public bool IsValid(string? token)
    {
        lock (_lock)
        {
            return Matches(token);
        }
    }

    /// <summary>Uses the token up: true once for the issued token, false for anything else and ever after.</summary>
    public bool TryConsume(string? token)
    {
        lock (_lock)
        {
            if (!Matches(token))
            {
                return false;
            }

            _hash = null;
            return true;
        }
    }

    /// <summary>Forgets the token unused (an account was made some other way).</summary>
    public void Revoke()
    {
        lock (_lock)
        {
            _hash = null;
        }
    }

    private bool Matches(string? token) =>
        _hash is { } hash && token is { Length: > 0 and < 200 } && CryptographicOperations.FixedTimeEquals(hash, Hash(token));

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
