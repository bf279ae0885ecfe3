namespace CommunityBot.Dialogs.Tickets;

/// <summary>What came of a worker's action on a ticket; <see cref="TicketMessages.ToActor"/> words it for the actor.</summary>
public enum WorkerActionOutcome
{
    /// <summary>No ticket has this number.</summary>
    TicketNotFound,

    /// <summary>The actor is not its handler, a co-handler or above its level.</summary>
    NotPermitted,

    /// <summary>The action needs a note first (回复/办结/退回/转派/联动); nothing was done.</summary>
    NeedsNote,

    /// <summary>An action the desk does not know.</summary>
    UnknownAction,

    /// <summary>签收; <see cref="WorkerActionResult.Deadline"/> is the closing deadline.</summary>
    Signed,

    /// <summary>Not waiting for a signature; <see cref="WorkerActionResult.Status"/> says what it is.</summary>
    NotSignable,

    /// <summary>The reply went to the ticket's residents.</summary>
    Replied,

    /// <summary>办结; the residents are asked for their feedback.</summary>
    Closed,

    /// <summary>The ticket was closed already.</summary>
    AlreadyClosed,

    /// <summary>退回 to <see cref="WorkerActionResult.Name"/>, who dispatches it again.</summary>
    Returned,

    /// <summary>A closed ticket cannot be returned.</summary>
    ReturnRefused,

    /// <summary>No receiving worker was chosen or named for 转派.</summary>
    TransferTargetMissing,

    /// <summary><see cref="WorkerActionResult.Name"/> holds the ticket already.</summary>
    AlreadyHeldByTarget,

    /// <summary>转派 to <see cref="WorkerActionResult.Name"/>.</summary>
    Transferred,

    /// <summary>A closed ticket cannot be transferred.</summary>
    TransferRefused,

    /// <summary>No co-handler was chosen or named for 联动.</summary>
    CoHandlerMissing,

    /// <summary><see cref="WorkerActionResult.Name"/> was asked to help (联动).</summary>
    CoHandlingRequested,

    /// <summary><see cref="WorkerActionResult.Name"/> handles it already, or the ticket is closed.</summary>
    CoHandlingRefused,

    /// <summary>接管 of the thread of <see cref="WorkerActionResult.Name"/>, the reporter.</summary>
    TakenOver,

    /// <summary>A closed ticket cannot be taken over.</summary>
    TakeOverRefused,

    /// <summary><see cref="WorkerActionResult.Name"/> has taken this resident over already.</summary>
    TakenOverByOther,

    /// <summary>The actor has no private chat the resident's messages could be relayed to.</summary>
    NoPrivateChat,

    /// <summary>结束接管: the thread is the assistant's again.</summary>
    TakeOverEnded,

    /// <summary>Nobody had taken the ticket's resident over.</summary>
    NotTakenOver,
}
