using CommunityBot.Directory;
using CommunityBot.Tickets;

namespace CommunityBot.Admin;

/// <summary>What the ticket detail page reads: the store, the viewer's scope, time formatting, the directory and live take-overs.</summary>
public sealed record TicketPage(TicketStore Store, TicketScope Scope, AdminFormat Format, GridDirectory Directory, HandoffStore Handoffs);
