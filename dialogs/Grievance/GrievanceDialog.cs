using CommunityBot.Dialogs.Conversation;
using CommunityBot.Dialogs.Directory;
using CommunityBot.Dialogs.Engine;
using CommunityBot.Dialogs.Notices;
using CommunityBot.Dialogs.Privacy;
using CommunityBot.Dialogs.Understanding;

namespace CommunityBot.Dialogs.Grievance;

/// <summary>
/// Takes a grievance: asks only for what the first message did not say (category, compound, place, what
/// happened, an optional photo, an optional phone in private), confirms in one short summary and returns a
/// <see cref="GrievanceReport"/>. In a group nothing personal is asked for or repeated. A report that an announced
/// notice covers (停水 in a building under a 停水 notice) ends as soon as that is known, with the notice's id.
/// </summary>
public sealed class GrievanceDialog(IDirectory directory, IDetailExtractor details, INotices notices) : Dialog<GrievanceDialog.Step, GrievanceState, GrievanceReport>
{
    public const string DialogId = "grievance";
    private const string Submit = "提交";
    private const string ChangeCategory = "改类别";
    private const string ChangePlace = "改位置";
    private const string ChangeDescription = "改描述";
    private const string NotListed = "不在列表里";
    private static readonly string[] SkipWords = ["跳过", "不知道", "不清楚", "没有", "不用", "无"];
    private static readonly CardAction[] SkipButton = [new("跳过", "跳过")];

    /// <summary>A model guess below this probability is not worth a place at the top of the category list.</summary>
    private const double LikelyCategory = 0.1;

    public enum Step
    {
        Category,
        Compound,
        Place,
        Description,
        Photo,
        Phone,
        Confirm,
    }

    public override string Id => DialogId;

    protected override Task<DialogTurn<GrievanceReport>> BeginAsync(TurnContext turn, GrievanceState state, CancellationToken cancellationToken)
    {
        state.Private = !turn.Inbound.IsGroup;
        return Task.FromResult(Next(turn, state));
    }

    protected override Task<DialogTurn<GrievanceReport>> OnAnswerAsync(
        TurnContext turn, GrievanceState state, Step step, PromptAnswer answer, CancellationToken cancellationToken)
    {
        switch (step)
        {
            case Step.Category:
                state.Category = answer.Choice!.Value;
                break;
            case Step.Compound:
                state.CompoundAsked = true;
                if (answer.Choice!.Value != NotListed && directory.Compounds().FirstOrDefault(c => c.Id == answer.Choice.Value) is { } compound)
                {
                    state.CompoundId = compound.Id;
                    state.CompoundName = compound.Name;
                }

                break;
            case Step.Place:
                state.PlaceAsked = true;
                if (!IsSkip(answer.Text))
                {
                    ApplyPlace(state, answer.Text, turn.Now);
                }

                break;
            case Step.Description:
                state.Description = answer.Text.Trim();
                break;
            case Step.Photo:
                state.PhotoAsked = true;
                state.Photos.AddRange(answer.Attachments);
                break;
            case Step.Phone:
                state.PhoneAsked = true;
                if (!IsSkip(answer.Text))
                {
                    var phone = details.Extract(answer.Text, turn.Now, DetailKinds.Phones).Phones.FirstOrDefault();
                    if (phone is null)
                    {
                        state.PhoneAsked = false;
                        return Task.FromResult(DialogTurn<GrievanceReport>.Retry("没认出电话号码，请发11位手机号或带区号的座机，不想留请回复「跳过」。"));
                    }

                    state.Phone = phone;
                }

                break;
            case Step.Confirm:
                switch (answer.Choice!.Value)
                {
                    case Submit:
                        return Task.FromResult(DialogTurn<GrievanceReport>.Complete(ToReport(turn, state)));
                    case ChangeCategory:
                        // Re-asked with the same list, the model's guesses first; the resident's pick is taken as said.
                        state.Category = null;
                        break;
                    case ChangePlace:
                        state.CompoundId = state.CompoundName = state.Building = state.Unit = state.Room = state.Landmark = null;
                        state.CompoundAsked = state.PlaceAsked = false;
                        // The group's compound is offered first in the list, not assumed again.
                        state.DefaultDeclined = state.CompoundAssumed || state.DefaultCompoundId is not null;
                        state.CompoundAssumed = false;
                        break;
                    case ChangeDescription:
                        state.Description = "";
                        break;
                }

                break;
        }

        return Task.FromResult(Next(turn, state));
    }

    protected override string HelpFor(Step step) => step switch
    {
        Step.Category => "选一个最接近的类别；拿不准就选「其他」，网格员会再分派。",
        Step.Compound => "点您所在的小区；不在列表里就点「不在列表里」。",
        Step.Place => "说楼号或位置就行，比如“3号楼”“东门岗亭”“地下车库”；房号等个人信息不用在群里说。",
        Step.Photo => "有现场照片更容易处理；没有就回复「跳过」。",
        Step.Confirm => "点「提交」登记工单；要改就点「改类别」「改位置」或「改描述」；回复「取消」放弃。",
        _ => "回答上面的问题即可继续；回复「取消」可以随时退出。",
    };

    /// <summary>
    /// Fills the state from what the resident's first message already says. The trigger words it opens with ("我要投诉")
    /// are left out, so the problem is read as if said alone. <paramref name="reported"/>: the resident said they are
    /// reporting (a trigger word), so a sure category counts even if the message alone does not read as a complaint.
    /// <paramref name="place"/> is the conversation's default compound, used when the message names none.
    /// </summary>
    public GrievanceState Prefill(string text, MessageUnderstanding understanding, DateTimeOffset at, bool isPrivate, bool reported = false, GroupPlace? place = null)
    {
        var problem = ReportTriggers.Strip(text);
        var state = new GrievanceState
        {
            Private = isPrivate,
            Description = problem,
            DefaultCompoundId = place?.CompoundId,
            DefaultCompoundName = place?.CompoundName,
            DefaultCommunity = place?.CommunityName,
            DefaultFromLastGroup = place?.FromLastGroup ?? false,
        };
        // A sure category is taken as said; an unsure one puts the model's likely guesses first in the list to pick from.
        if (understanding.Category is { } category && !understanding.CategoryUnsure && (understanding.Intent == Intent.Grievance || reported))
        {
            state.Category = category;
        }

        if (understanding.Category is not null)
        {
            state.CategoryChoices = LikelyFirst(understanding);
        }

        ApplyPlace(state, problem, at);
        var found = details.Extract(problem, at);
        state.When = found.When?.Text;
        state.Phone = found.Phones.FirstOrDefault();
        return state;
    }

    /// <summary>The model's guesses worth offering first (best first, at most three, never 其他: it always comes last).</summary>
    private static List<string> LikelyFirst(MessageUnderstanding understanding)
    {
        var guesses = understanding.CategoryCandidates.Count > 0
            ? understanding.CategoryCandidates
            : [new CategoryCandidate(understanding.Category!, understanding.CategoryScore)];
        return guesses
            .Where(c => c.Score >= LikelyCategory && c.Category != Other)
            .OrderByDescending(c => c.Score)
            .Select(c => c.Category)
            .Take(3)
            .ToList();
    }

    private const string Other = "其他";

    private DialogTurn<GrievanceReport> Next(TurnContext turn, GrievanceState state)
    {
        // The conversation's compound stands in for an unnamed one (a group tied to 幸福里: "3号楼" is 幸福里's 3号楼).
        if (state.CompoundId is null && !state.CompoundAsked && !state.DefaultDeclined && state.DefaultCompoundId is not null
            && directory.Compounds().FirstOrDefault(c => c.Id == state.DefaultCompoundId) is { } assumed)
        {
            state.CompoundId = assumed.Id;
            state.CompoundName = assumed.Name;
            state.CompoundAssumed = true;
        }

        // An announced outage is said as soon as the place and what happened are known, before any other question: the
        // notice makes the category, photo, phone and confirmation needless. Without a category yet, any notice's counts.
        if (state.Description.Length >= 4 && (state.CompoundId is not null || state.Building is not null)
            && notices.Covering(state.Category, state.Description, state.CompoundId, state.Building, turn.Now) is { } notice)
        {
            return DialogTurn<GrievanceReport>.Complete(ToReport(turn, state) with { NoticeId = notice.Id });
        }

        // A message on a notice's topic ("没水了") is placed first, so the notice can answer before the category is asked.
        var placeFirst = state.Category is null && notices.About(state.Description, null, null, turn.Now).Count > 0;
        if (state.Category is null && !placeFirst)
        {
            return AskCategory(state);
        }

        var compounds = directory.Compounds();
        if (state.CompoundId is null && !state.CompoundAsked && compounds.Count > 0)
        {
            return AskCompound(state, compounds);
        }

        if (state.Building is null && state.Landmark is null && !state.PlaceAsked)
        {
            var where = state.CompoundName is null ? "具体在几号楼或什么位置？" : $"具体在{state.CompoundName}几号楼或什么位置？";
            return DialogTurn<GrievanceReport>.Ask(Step.Place, Prompt.ForText(where + "（如“3号楼”“东门岗亭”，不清楚点「跳过」）", buttons: SkipButton));
        }

        if (state.Category is null)
        {
            return AskCategory(state);
        }

        if (state.Description.Length < 4)
        {
            return DialogTurn<GrievanceReport>.Ask(Step.Description, Prompt.ForText("请简单说说发生了什么？", "请用一两句话描述一下情况。", minLength: 4));
        }

        // Category, place and what happened are all known here: the earliest point at which an announced outage can be
        // told apart from a new problem of the same kind in the same building (楼道灯坏了 during a 停水 notice), and
        // before the resident is asked for a photo, a phone or a confirmation that the notice makes needless.
        if (notices.Covering(state.Category, state.Description, state.CompoundId, state.Building, turn.Now) is { } covering)
        {
            return DialogTurn<GrievanceReport>.Complete(ToReport(turn, state) with { NoticeId = covering.Id });
        }

        if (!state.PhotoAsked)
        {
            return DialogTurn<GrievanceReport>.Ask(Step.Photo, Prompt.ForAttachment("有现场照片的话发一张（可选），没有请点「跳过」。", optional: true));
        }

        // Personal details are asked for only in a private chat, never in front of the group.
        if (state.Private && state.Phone is null && !state.PhoneAsked)
        {
            return DialogTurn<GrievanceReport>.Ask(Step.Phone, Prompt.ForText("留个电话方便网格员联系您（可选），不想留请点「跳过」。", buttons: SkipButton));
        }

        var place = ToReport(turn, state).PublicLocation;
        var assumedNote = !state.CompoundAssumed
            ? ""
            : state.DefaultFromLastGroup ? "（按您所在的群默认，不对请点「改位置」）" : "（按本群所在小区默认，不对请点「改位置」）";
        var summary = $"请确认：\n类别：{state.Category}\n位置：{(state.Private ? place : PersonalData.Hide(place, state.Room))}{assumedNote}\n情况：{(state.Private ? state.Description : PersonalData.Hide(state.Description, state.Room))}" +
            (state.Photos.Count > 0 ? $"\n照片：{state.Photos.Count}张" : "") +
            (state.Private && state.Phone is not null ? $"\n电话：{PersonalData.MaskPhone(state.Phone)}" : "");
        return DialogTurn<GrievanceReport>.Ask(Step.Confirm, Prompt.ForChoice(
            summary,
            [new CardAction(Submit, Submit), new CardAction(ChangeCategory, ChangeCategory), new CardAction(ChangePlace, ChangePlace), new CardAction(ChangeDescription, ChangeDescription)],
            "请点「提交」，或「改类别」「改位置」「改描述」；放弃请回复「取消」。"));
    }

    /// <summary>The categories in one stable order: the model's likely guesses first, then the grid's list, 其他 last.</summary>
    private static DialogTurn<GrievanceReport> AskCategory(GrievanceState state)
    {
        var ordered = state.CategoryChoices.Where(c => c != Other)
            .Concat(GrievanceCategories.Default.Where(c => c != Other))
            .Distinct()
            .Append(Other)
            .Select(c => new CardAction(c, c));
        return DialogTurn<GrievanceReport>.Ask(Step.Category, Prompt.ForChoice("请问是哪类问题？", ordered, "请点一个类别，拿不准就选「其他」。"));
    }

    /// <summary>The compounds to pick from: the default community's only when there is one; the default compound first.</summary>
    private static DialogTurn<GrievanceReport> AskCompound(GrievanceState state, IReadOnlyList<CompoundInfo> compounds)
    {
        var offered = state.DefaultCommunity is { } community && compounds.Any(c => c.Community == community) && !state.DefaultDeclined
            ? compounds.Where(c => c.Community == community)
            : compounds;
        var choices = offered
            .OrderBy(c => c.Id == state.DefaultCompoundId ? 0 : 1)
            .Select(c => new CardAction(c.Name, c.Id))
            .Append(new CardAction(NotListed, NotListed));
        return DialogTurn<GrievanceReport>.Ask(Step.Compound, Prompt.ForChoice("在哪个小区？", choices, "请点您所在的小区，不在列表里就点「不在列表里」。"));
    }

    private void ApplyPlace(GrievanceState state, string text, DateTimeOffset at)
    {
        var location = details.Extract(text, at, DetailKinds.Location).Location;
        if (location is null)
        {
            // Nothing recognisable: keep the resident's own words as the place.
            if (state.PlaceAsked)
            {
                state.Landmark = text.Trim();
            }

            return;
        }

        if (location.CompoundId is not null)
        {
            state.CompoundId = location.CompoundId;
            state.CompoundName = location.CompoundName;
            state.CompoundAssumed = false;
        }

        state.Building = location.Building ?? state.Building;
        state.Unit = location.Unit ?? state.Unit;
        state.Room = location.Room ?? state.Room;
        state.Landmark = location.Landmark ?? state.Landmark;
    }

    private static GrievanceReport ToReport(TurnContext turn, GrievanceState state) => new()
    {
        Reporter = turn.Inbound.Conversation,
        Category = state.Category ?? "其他",
        Description = state.Description,
        CompoundId = state.CompoundId,
        CompoundName = state.CompoundName,
        Building = state.Building,
        Unit = state.Unit,
        Room = state.Room,
        Landmark = state.Landmark,
        When = state.When,
        Phone = state.Phone,
        Photos = state.Photos,
    };

    private static bool IsSkip(string text) => SkipWords.Contains(PromptValidator.Normalize(text), StringComparer.Ordinal);
}
