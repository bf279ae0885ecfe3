using System.ComponentModel.DataAnnotations;
using CommunityBot.Notifications;

namespace CommunityBot.Tests.Notifications;

/// <summary>The claim lease of the PostgreSQL outbox: derived from the send timeout unless set, and never shorter than two sends.</summary>
public sealed class OutboxOptionsTests
{
    [Fact]
    public void Lease_Unset_IsTwiceTheSendTimeoutAndTenSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), new OutboxOptions().Lease);
        Assert.Equal(TimeSpan.FromSeconds(130), new OutboxOptions { SendTimeout = TimeSpan.FromMinutes(1) }.Lease);
        Assert.Empty(Validate(new OutboxOptions { SendTimeout = TimeSpan.FromMinutes(5) })); // LiteDB hosts set no lease
    }

    [Fact]
    public void Lease_SetShorterThanTwoSends_IsRefusedNamingBoth()
    {
        var error = Assert.Single(Validate(new OutboxOptions { ClaimLease = TimeSpan.FromSeconds(15) }));
        Assert.Contains("Outbox:ClaimLease", error.ErrorMessage);
        Assert.Contains("Outbox:SendTimeout", error.ErrorMessage);

        var options = new OutboxOptions { ClaimLease = TimeSpan.FromSeconds(20) };
        Assert.Empty(Validate(options));
        Assert.Equal(TimeSpan.FromSeconds(20), options.Lease);
    }

    private static List<ValidationResult> Validate(OutboxOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
