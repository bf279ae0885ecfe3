namespace CommunityBot.Faq;

/// <summary>A knowledge-base file that cannot be imported; the message names the row and column.</summary>
public sealed class FaqFormatException(string message) : Exception(message);
