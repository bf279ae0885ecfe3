namespace CommunityBot.Oversight;

/// <summary>
/// One row of the assessment: a street, community, grid or worker, its volume, counts and rates (README.md has the
/// definitions). A rate is null when nothing in its denominator happened (shown as "—", never as 0 % or 100 %).
/// </summary>
public sealed record UnitFigures
{
    public AssessmentLevel Level { get; init; }
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>The community of a grid or worker, the street of a community; empty for the street.</summary>
    public string Parent { get; init; } = "";
    public int Volume { get; init; }
    public int Responded { get; init; }
    public int SignDue { get; init; }
    public int SignedOnTime { get; init; }
    public int CloseDue { get; init; }
    public int ClosedOnTime { get; init; }
    public int Closed { get; init; }
    public int Reopened { get; init; }
    public int Returned { get; init; }
    public int Feedback { get; init; }
    public int Fixed { get; init; }
    public int Satisfied { get; init; }

    /// <summary>响应率: tickets a worker signed, replied to, took over or closed / volume.</summary>
    public double? ResponseRate => Rate(Responded, Volume);

    /// <summary>解决率: feedback "fixed" / feedback given.</summary>
    public double? SolvedRate => Rate(Fixed, Feedback);

    /// <summary>满意率: feedback "satisfied" / feedback given.</summary>
    public double? SatisfiedRate => Rate(Satisfied, Feedback);

    /// <summary>及时签收率: signed by the signing deadline / tickets whose signing was due.</summary>
    public double? TimelySignRate => Rate(SignedOnTime, SignDue);

    /// <summary>按时办结率: done by the closing deadline / tickets whose closing was due.</summary>
    public double? OnTimeCloseRate => Rate(ClosedOnTime, CloseDue);

    /// <summary>重办率: reopened at least once / closed at least once.</summary>
    public double? ReopenRate => Rate(Reopened, Closed);

    /// <summary>回退率: returned at least once / volume.</summary>
    public double? ReturnRate => Rate(Returned, Volume);

    public double? ResponseMedianMinutes { get; init; }
    public double? ResponseP90Minutes { get; init; }
    public double? ClosingMedianHours { get; init; }
    public double? ClosingP90Hours { get; init; }

    /// <summary>
    /// The ranking score, 0–100: the mean of the rates that exist, the two "bad" ones (重办率, 回退率) counted as
    /// 1 − rate; rounded to two decimals so that equal-looking scores tie.
    /// </summary>
    public double? Score
    {
        get
        {
            double sum = 0;
            var n = 0;
            foreach (var rate in new[] { ResponseRate, SolvedRate, SatisfiedRate, TimelySignRate, OnTimeCloseRate, 1 - ReopenRate, 1 - ReturnRate })
            {
                if (rate is { } r)
                {
                    sum += r;
                    n++;
                }
            }

            return n == 0 ? null : Math.Round(100 * sum / n, 2, MidpointRounding.AwayFromZero);
        }
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;
}
