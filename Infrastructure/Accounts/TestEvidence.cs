using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Outgoing;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>
/// A connection test or test e-mail that ran before its account existed. <paramref name="Tested"/> names the settings
/// it ran on (server, port, security, login), so that it is kept only for an account saved with those settings.
/// </summary>
public sealed record RecordedTest(
    Guid UserId, bool Succeeded, string? FailedStage, string Detail, string? TestEmailTo, DateTimeOffset At, string Tested = "", TestFailure? Failure = null);

/// <summary>
/// Tests run on the Add form happen before the account has a stream. Their results ride along in the form,
/// sealed so that a browser can carry them but not forge them, and become events when the account is saved.
/// </summary>
public sealed class TestEvidence(FormSeal seals)
{
    private readonly FormSeal.Sealed<RecordedTest> _tests = seals.For<RecordedTest>("MailAccounts.Accounts.TestEvidence.v1", TimeSpan.FromDays(1));

    public string Seal(RecordedTest test) => _tests.Seal(test);

    /// <summary>
    /// The test, when the token is genuine, unexpired, was issued to this user and ran on the settings the account is
    /// saved with; otherwise null. A test of other settings than those saved says nothing of the account.
    /// </summary>
    public RecordedTest? Open(string? token, Guid userId, AccountForm saved, OutgoingServerFields? newServer, IEnumerable<OutgoingServer> servers) =>
        _tests.Open(token) is { } test && test.UserId == userId && test.Tested == Tested(saved, newServer, servers, incoming: test.TestEmailTo is null)
            ? test
            : null;

    /// <summary>
    /// The settings a test runs on, as the form holds them: the incoming server, port, security and login; or the
    /// outgoing server chosen (with the new server's settings when that is the choice) and the sender.
    /// </summary>
    public static string Tested(AccountForm form, OutgoingServerFields? newServer, IEnumerable<OutgoingServer> servers, bool incoming)
    {
        if (incoming)
        {
            var port = form.Port ?? AccountDecisions.DefaultPort(form.Protocol, form.Security);
            return $"incoming {form.Protocol} {(form.Host ?? "").Trim().ToLowerInvariant()}:{port} {form.Security} {(form.Login ?? "").Trim()}";
        }

        var chosen = newServer is { } added
            ? $"new {added.Kind} {(added.Host ?? "").Trim().ToLowerInvariant()}:{added.Port} {added.Security} {added.UseAuthentication} {(added.Login ?? "").Trim()}"
            : $"{form.OutgoingServerId} {ChosenServerEndpoint(form.OutgoingServerId, servers)}";
        return $"outgoing {chosen} {(form.OutgoingAddress ?? "").Trim()}";
    }

    /// <summary>
    /// Where a server chosen from the list (the system default included) listens now: an administrator may move the
    /// system default between the test and Done, and a test of the old endpoint says nothing of the new one.
    /// </summary>
    private static string ChosenServerEndpoint(Guid? serverId, IEnumerable<OutgoingServer> servers)
    {
        var server = serverId is { } id
            ? servers.FirstOrDefault(s => s.Id == id && !s.IsSystemDefault)
            : servers.FirstOrDefault(s => s.IsSystemDefault);
        return server is null ? "none" : $"{server.Host}:{server.Port} {server.Security} {server.UseAuthentication} {server.Login}";
    }
}
