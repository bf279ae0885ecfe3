using CommunityBot.Conversation;
using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Tests.Harness;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Activity = Microsoft.Bot.Schema.Activity;
using ActivityTypes = Microsoft.Bot.Schema.ActivityTypes;
using ChannelAccount = Microsoft.Bot.Schema.ChannelAccount;
using ConversationAccount = Microsoft.Bot.Schema.ConversationAccount;

namespace CommunityBot.Tests.Conversation;

/// <summary>The residents' dialog state as the SDK's PrivateConversationState items in bot_state.</summary>
public sealed class BotStateDialogStoreTests : IDisposable
{
    private readonly BotHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task Grievance_MidDialog_IsThePropertyOfTheResidentsPrivateConversationState()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 投诉5号楼楼下烧烤店天天半夜吵得睡不着")
            .AssertReply("请问是哪类问题？")
            .RunAsync();

        // Read back as any SDK code would: its own PrivateConversationState over the same storage, keyed by the activity.
        var state = new PrivateConversationState(_bot.Storage);
        using var context = new Microsoft.Bot.Builder.TurnContext(new TestAdapter(), new Activity(ActivityTypes.Message)
        {
            ChannelId = TestChannel.Name,
            Conversation = new ConversationAccount(isGroup: true, id: "group-1"),
            From = new ChannelAccount("alice"),
        });
        var dialog = await state.CreateProperty<DialogState>(ResidentDialogState.DialogProperty).GetAsync(context, () => null!, CancellationToken.None);

        Assert.NotNull(dialog);
        Assert.Equal("alice", dialog.OwnerId);
        Assert.Equal("请问是哪类问题？", dialog.Prompt?.Text);
        Assert.False(_bot.Database.CollectionExists("dialog_state"));
    }

    [Fact]
    public async Task Faq_TurnWithoutADialog_WritesNoStateItem()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 物业电话多少")
            .AssertReply(r => Assert.Contains("0371-66001234", r.Text, StringComparison.Ordinal))
            .RunAsync();

        Assert.Equal(0, _bot.Database.GetCollection("bot_state").Count());
    }

    [Fact]
    public async Task Grievance_Submitted_LeavesNoStateItemBehind()
    {
        await _bot.Conversation()
            .As("alice").Send("@小灵通 投诉5号楼楼下烧烤店天天半夜吵得睡不着")
            .AssertReply("请问是哪类问题？")
            .RunAsync();
        Assert.Equal(1, _bot.Database.GetCollection("bot_state").Count());

        await _bot.Conversation()
            .As("alice").Send("取消", messageId: "cancel-1")
            .AssertReply("好的，已取消。有需要随时@我。")
            .RunAsync();

        Assert.Null(await _bot.States.LoadAsync(Key("group-1", "alice"), CancellationToken.None));
        Assert.Equal(0, _bot.Database.GetCollection("bot_state").Count());
    }

    [Fact]
    public async Task InConversation_LongConversationId_FindsEveryResidentOfThatConversationOnly()
    {
        var conversation = new string('会', 300); // 900 UTF-8 bytes: the key is shortened in the store
        var neighbour = conversation[..^1] + "话";  // the same first characters, another conversation
        var longUser = new string('u', 200);
        foreach (var (conv, user) in new[] { (conversation, "alice"), (conversation, "bob"), (conversation, longUser), (neighbour, "carol") })
        {
            await _bot.States.SaveAsync(Key(conv, user), new DialogState { DialogId = "d", Step = "s", OwnerId = user, LastActive = _bot.Time.GetUtcNow() }, CancellationToken.None);
        }

        var found = await _bot.States.InConversationAsync($"{TestChannel.Name}/{conversation}/", CancellationToken.None);

        Assert.Equal(["alice", "bob", longUser], found.Select(s => s.OwnerId).Order(StringComparer.Ordinal));
        Assert.Equal(longUser, (await _bot.States.LoadAsync(Key(conversation, longUser), CancellationToken.None))?.OwnerId);
        Assert.Equal("carol", Assert.Single(await _bot.States.InConversationAsync($"{TestChannel.Name}/{neighbour}/", CancellationToken.None)).OwnerId);
    }

    private static string Key(string conversation, string user) =>
        new ConversationReference { Channel = TestChannel.Name, ConversationId = conversation, IsGroup = true, UserId = user }.StateKey;
}
