namespace MailAccounts.Domain.Common;

/// <summary>Who caused an event when no signed-in person did.</summary>
public static class Actors
{
    /// <summary>Start-up work and scheduled jobs act as the system.</summary>
    public static readonly Guid System = new("00000000-0000-0000-0000-000000000001");
}
