namespace CommunityBot.Understanding.Nlu;

/// <summary>A training file that cannot be used as it is; the message says which line and why.</summary>
public sealed class NluFormatException(string message) : Exception(message);
