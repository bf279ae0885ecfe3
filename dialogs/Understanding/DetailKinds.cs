namespace CommunityBot.Dialogs.Understanding;

/// <summary>
/// Which details a caller needs from <see cref="IDetailExtractor"/>. Places are cheap (our own rules against the
/// directory); times and phones may run Microsoft.Recognizers.Text, which costs far more per message, so a
/// turn that only needs a place (a notice question, an Open311 address) asks for <see cref="Location"/> alone.
/// </summary>
[Flags]
public enum DetailKinds
{
    None = 0,
    Phones = 1,
    Location = 2,
    When = 4,
    Duration = 8,
    Counts = 16,
    All = Phones | Location | When | Duration | Counts,
}
