namespace CommunityBot.Directory;

/// <summary>A directory file or import that cannot be used; the message names the sheet, row and column.</summary>
public sealed class DirectoryFormatException(string message) : Exception(message);
