using CommunityBot.Tickets;

namespace CommunityBot.Storage.Postgres;

/// <summary>
/// What <see cref="PostgresTicketStore.CreateAsync"/> did: opened <see cref="Ticket"/> (numbered, in the caller's
/// transaction), or, when <see cref="Opened"/> is false, found that the report's submission had already opened it (a
/// redelivery filed on another instance) and wrote nothing.
/// </summary>
public sealed record TicketCreation(Ticket Ticket, bool Opened);
