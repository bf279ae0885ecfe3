namespace CommunityBot.Storage;

/// <summary>The store's schema version is one this build cannot open (written by a newer build, or invalid).</summary>
public sealed class StoreVersionException(int found, int supported, string message) : Exception(message)
{
    public int Found { get; } = found;

    public int Supported { get; } = supported;
}
