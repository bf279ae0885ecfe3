using CommunityBot.Dialogs.Notices;

namespace CommunityBot.Notices;

/// <summary>Registers the notice store and the <see cref="INotices"/> port the dialogs answer and join notices through.</summary>
public static class NoticeExtensions
{
    /// <summary>Needs <c>AddStorage()</c> and <c>AddClocks()</c> (the office's time zone).</summary>
    public static IHostApplicationBuilder AddNotices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NoticeStore>();
        builder.Services.AddSingleton<INoticeRecords>(sp => sp.GetRequiredService<NoticeStore>());
        builder.Services.AddSingleton<NoticeBoard>();
        builder.Services.AddSingleton<INotices>(sp => sp.GetRequiredService<NoticeBoard>());
        return builder;
    }
}
