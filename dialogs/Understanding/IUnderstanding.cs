namespace CommunityBot.Dialogs.Understanding;

/// <summary>The port through which dialogs read a resident's message; bot/Understanding implements it.</summary>
public interface IUnderstanding
{
    MessageUnderstanding Understand(string text);
}
