namespace CommunityBot.Dialogs.Understanding;

/// <summary>Looks up the question and answer of a knowledge-base entry by id.</summary>
public interface IFaqAnswers
{
    FaqAnswer? Find(string id);
}

/// <summary>The part of a knowledge-base entry a resident sees.</summary>
public sealed record FaqAnswer(string Id, string Question, string Answer);
