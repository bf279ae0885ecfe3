using CommunityBot.Dialogs.Grievance;

namespace CommunityBot.Open311;

/// <summary>A checked POST service request: the grievance to file and what is kept beside the ticket.</summary>
public sealed record PostedServiceRequest(Open311Service Service, GrievanceReport Report, Open311Submission Submission);
