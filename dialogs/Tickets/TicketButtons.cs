namespace CommunityBot.Dialogs.Tickets;

/// <summary>
/// The value a ticket card's button carries back when a worker presses it: <c>tk:{number}:{action}</c>. Written by the
/// card (<see cref="TicketMessages"/>), read by the router; a value that names no known action is not a ticket button.
/// </summary>
public static class TicketButtons
{
    public const string Prefix = "tk:";

    public static string Value(string number, WorkerAction action) => $"{Prefix}{number}:{action}";

    public static bool TryParse(string value, out string number, out WorkerAction action)
    {
        number = "";
        action = default;
        var parts = value.Split(':');
        // Enum.TryParse also takes "99" or "Sign,Close": only a defined action's own name is a button.
        if (parts.Length != 3 || parts[0] != "tk" || parts[1].Length == 0
            || !Enum.TryParse(parts[2], ignoreCase: false, out action) || !Enum.IsDefined(action) || action.ToString() != parts[2])
        {
            action = default;
            return false;
        }

        number = parts[1];
        return true;
    }
}
