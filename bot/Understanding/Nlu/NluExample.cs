namespace CommunityBot.Understanding.Nlu;

/// <summary>One labelled message; <see cref="Line"/> is where it came from in its file (for error messages).</summary>
public sealed record NluExample(string Text, string Label, int Line = 0);
