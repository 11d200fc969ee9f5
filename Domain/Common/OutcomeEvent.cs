namespace MailAccounts.Domain.Common;

/// <summary>An event that records what happened when the system talked to a server, rather than a settings change.</summary>
public interface IOutcomeEvent
{
    bool Succeeded { get; }

    string Detail { get; }
}
