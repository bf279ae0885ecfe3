using CommunityBot.Directory;
using CommunityBot.Media;
using CommunityBot.Tickets;

namespace CommunityBot.Admin;

/// <summary>
/// What the ticket detail page reads: the store, the viewer's scope, time formatting, the directory, live take-overs, and
/// the ticket's re-hosted photos with their links.
/// </summary>
public sealed record TicketPage(
    TicketStore Store, TicketScope Scope, AdminFormat Format, GridDirectory Directory, HandoffStore Handoffs, MediaStore Media, MediaLinks MediaLinks);
