using LiteDB;

namespace CommunityBot.Storage;

/// <summary>One upgrade step of <see cref="StoreSchema"/>: what it does (for the log) and the change itself.</summary>
public sealed record StoreUpgrade(string Description, Action<ILiteDatabase> Apply);
