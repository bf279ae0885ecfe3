namespace CommunityBot.Dialogs.Engine;

/// <summary>Words that work at any step of any dialog.</summary>
public enum Interruption
{
    None,
    /// <summary>取消: stop the current dialog.</summary>
    Cancel,
    /// <summary>帮助: explain the current step, then keep waiting for its answer.</summary>
    Help,
    /// <summary>人工: the resident wants a person.</summary>
    Human,
}

/// <summary>Recognises the interruption words; only short messages count, so "取消订单怎么办" is a question, not a cancel.</summary>
public static class Interruptions
{
    private static readonly string[] CancelWords = ["取消", "退出", "算了", "不办了", "不弄了", "结束", "cancel"];
    private static readonly string[] HelpWords = ["帮助", "帮忙", "怎么用", "help", "菜单"];
    private static readonly string[] HumanWords = ["人工", "转人工", "人工服务", "人工客服", "找人工", "真人", "找网格员", "联系网格员"];

    public static Interruption Detect(string text)
    {
        var normalized = PromptValidator.Normalize(text);
        if (normalized.Length is 0 or > 6)
        {
            return Interruption.None;
        }

        if (CancelWords.Contains(normalized, StringComparer.Ordinal))
        {
            return Interruption.Cancel;
        }

        if (HelpWords.Contains(normalized, StringComparer.Ordinal))
        {
            return Interruption.Help;
        }

        return HumanWords.Contains(normalized, StringComparer.Ordinal) ? Interruption.Human : Interruption.None;
    }
}
