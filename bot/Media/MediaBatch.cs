namespace CommunityBot.Media;

/// <summary>
/// The photos of one report or one 办结 on their way into a ticket: the refs (<c>media:{id}</c>) the ticket keeps, and the
/// pending records to write in the ticket's own write (<see cref="Write"/>), after which <see cref="Wake"/> starts the fetch.
/// </summary>
public sealed class MediaBatch(MediaStore store, IReadOnlyList<MediaItem> items)
{
    /// <summary>What the ticket keeps in place of the channel's addresses.</summary>
    public List<string> Refs { get; } = items.Select(i => MediaRef.Of(i.Id)).ToList();

    public IReadOnlyList<MediaItem> Items => items;

    /// <summary>Writes the pending records for <paramref name="ticketNumber"/>; on the writer thread, inside the ticket's write.</summary>
    public void Write(string ticketNumber)
    {
        foreach (var item in items)
        {
            item.TicketNumber = ticketNumber;
        }

        store.Insert(items);
    }

    /// <summary>Starts the fetch; call once the ticket's write is committed.</summary>
    public void Wake()
    {
        if (items.Count > 0)
        {
            store.Wake();
        }
    }
}
