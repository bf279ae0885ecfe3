namespace CommunityBot.Dialogs.Understanding;

/// <summary>Looks up the question and answer of a knowledge-base entry by id.</summary>
public interface IFaqAnswers
{
    /// <summary>The entry with its general answer (what a button shows: the question).</summary>
    FaqAnswer? Find(string id);

    /// <summary>
    /// The entry with the answer for <paramref name="place"/>, where it is asked (<see cref="Directory.IGroupPlaces.DefaultFor"/>:
    /// a group's tie, or in a private chat the resident's last group's): that compound's or community's variant when the
    /// entry has one; the general answer without a place.
    /// </summary>
    FaqAnswer? AnswerFor(string id, Directory.GroupPlace? place);
}

/// <summary>The part of a knowledge-base entry a resident sees.</summary>
public sealed record FaqAnswer(string Id, string Question, string Answer);
