namespace CommunityBot.Dialogs.Understanding;

/// <summary>Reads the details out of a resident's message: phone numbers, where, when, how long, how many.</summary>
public interface IDetailExtractor
{
    /// <summary>Extracts details; relative times ("昨晚十点") are resolved against <paramref name="at"/> (the message time, with its offset).</summary>
    MessageDetails Extract(string text, DateTimeOffset at);

    /// <summary>
    /// Extracts only the <paramref name="kinds"/> asked for (the others stay empty), so a turn that needs a place does not
    /// pay for the time recognizer. The default reads everything, which is correct, only slower.
    /// </summary>
    MessageDetails Extract(string text, DateTimeOffset at, DetailKinds kinds) => Extract(text, at);
}
