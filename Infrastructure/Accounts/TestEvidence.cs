using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>
/// A connection test or test e-mail that ran before its account existed. <paramref name="Tested"/> names the settings
/// it ran on (server, port, security, login), so that it is kept only for an account saved with those settings.
/// </summary>
public sealed record RecordedTest(Guid UserId, bool Succeeded, string? FailedStage, string Detail, string? TestEmailTo, DateTimeOffset At, string Tested = "");

/// <summary>
/// Tests run on the Add form happen before the account has a stream. Their results ride along in the form,
/// sealed with Data Protection so that a browser can carry them but not forge them, and become events when
/// the account is saved.
/// </summary>
public sealed class TestEvidence(IDataProtectionProvider protection)
{
    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("MailAccounts.Accounts.TestEvidence.v1").ToTimeLimitedDataProtector();

    public string Seal(RecordedTest test) => _protector.Protect(JsonSerializer.Serialize(test), TimeSpan.FromDays(1));

    /// <summary>
    /// The test, when the token is genuine, unexpired, was issued to this user and ran on the settings named by
    /// <paramref name="tested"/>; otherwise null. A test of other settings than those saved says nothing of the account.
    /// </summary>
    public RecordedTest? Open(string? token, Guid userId, Func<RecordedTest, string> tested)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var test = JsonSerializer.Deserialize<RecordedTest>(_protector.Unprotect(token));
            return test is not null && test.UserId == userId && test.Tested == tested(test) ? test : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
