namespace CommunityBot.Dialogs.Understanding;

/// <summary>Told what became of each question (the host counts them for its metrics); cheap and never throws.</summary>
public interface IFaqOutcomes
{
    void Record(FaqOutcome outcome, string channel);
}
