namespace CommunityBot.Dialogs.Understanding;

/// <summary>Looks up the question and answer of a knowledge-base entry by id.</summary>
public interface IFaqAnswers
{
    /// <summary>The entry with its general answer (what a button shows: the question).</summary>
    FaqAnswer? Find(string id);

    /// <summary>
    /// The entry with the answer for where it is asked: in a group tied to a compound or community, that place's variant
    /// when the entry has one; in a private chat, the variant for the resident's last group; the general answer elsewhere.
    /// </summary>
    FaqAnswer? AnswerFor(string id, Conversation.ConversationReference conversation);
}

/// <summary>The part of a knowledge-base entry a resident sees.</summary>
public sealed record FaqAnswer(string Id, string Question, string Answer);
